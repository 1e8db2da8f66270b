package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zerojwt/jwt"
)

var decodeCommand = command{
	name:     "decode",
	synopsis: "decode [TOKEN|-]",
	summary:  "show header and claims; verifies nothing",
	about: `decode shows the header and the claims of a token WITHOUT checking its signature or any
claim. It writes one JSON object to standard output: "header" and "claims" as the token holds
them, and "dates" with each of exp, nbf and iat as RFC 3339 and relative to now. The line
saying that nothing was verified goes to standard error, so standard output stays JSON.
The token must still be well formed (three base64url segments, JSON objects, an alg).`,
	statuses: []int{exitOK, exitRefused, exitUsage},
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		return func(args []string) error { return decode(args, e) }
	},
}

// decoded is what decode writes to standard output.
type decoded struct {
	Header json.RawMessage `json:"header"`
	Claims json.RawMessage `json:"claims"`
	Dates  *dates          `json:"dates,omitempty"`
}

// dates shows the NumericDate claims a token holds.
type dates struct {
	Exp *date `json:"exp,omitempty"`
	Nbf *date `json:"nbf,omitempty"`
	Iat *date `json:"iat,omitempty"`
}

// date is one NumericDate claim in words.
type date struct {
	Time     string `json:"time"`     // RFC 3339, UTC
	Relative string `json:"relative"` // "expires in 4m10s", "issued 3m ago"
}

func decode(args []string, e *env) error {
	token, err := readToken(args, e.stdin)
	if err != nil {
		return err
	}
	_, claims, err := jwt.InspectUnverified(token)
	if err != nil {
		return err
	}
	// InspectUnverified has checked that the first segment is strict base64url of a JSON
	// object; decode shows that object as the token holds it, every member included.
	header, err := base64.RawURLEncoding.Strict().DecodeString(token[:strings.IndexByte(token, '.')])
	if err != nil {
		return fmt.Errorf("%w: header: %w", jwt.ErrMalformed, err)
	}
	out := decoded{Header: header, Claims: claims}
	out.Dates, err = claimDates(claims, e.now(), e.stderr)
	if err != nil {
		return err
	}
	if err := writeJSON(e.stdout, out); err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stderr, "jwt: NOT VERIFIED: neither the signature nor any claim was checked; use jwt verify")
	return err
}

// claimDates returns exp, nbf and iat of the claims set, described relative to now; nil
// when there is none. A date that is not a valid NumericDate is noted on warn and left out.
func claimDates(claims []byte, now time.Time, warn io.Writer) (*dates, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(claims, &members); err != nil {
		return nil, fmt.Errorf("%w: claims: %w", jwt.ErrMalformed, err)
	}
	var d dates
	for _, c := range []struct {
		name        string
		dst         **date
		past, early string // phrases for a date before and after now; %s is the span
	}{
		{"exp", &d.Exp, "expired %s ago", "expires in %s"},
		{"nbf", &d.Nbf, "valid since %s ago", "not valid yet, valid in %s"},
		{"iat", &d.Iat, "issued %s ago", "issued %s in the future"},
	} {
		raw, ok := members[c.name]
		if !ok {
			continue
		}
		var nd jwt.NumericDate
		if err := nd.UnmarshalJSON(raw); err != nil {
			fmt.Fprintf(warn, "jwt: %s is not a NumericDate (a non-negative number of seconds); verify refuses this token\n", c.name)
			continue
		}
		t := nd.Time()
		phrase, span := c.past, now.Unix()-nd.Unix()
		if t.After(now) {
			phrase, span = c.early, -span
		}
		*c.dst = &date{Time: t.Format(time.RFC3339Nano), Relative: fmt.Sprintf(phrase, formatSpan(span))}
	}
	if d == (dates{}) {
		return nil, nil
	}
	return &d, nil
}

// spanUnits are the units of formatSpan, largest first. A year is 365 days.
var spanUnits = []struct {
	sec    int64
	suffix string
}{{365 * 86400, "y"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}}

// formatSpan writes a number of seconds in its largest unit and the next one, when that is
// not zero: "0s", "42s", "4m10s", "2h", "3d4h", "12y40d".
func formatSpan(sec int64) string {
	i := 0
	for i < len(spanUnits)-1 && sec < spanUnits[i].sec {
		i++
	}
	u := spanUnits[i]
	s := strconv.FormatInt(sec/u.sec, 10) + u.suffix
	if i+1 < len(spanUnits) {
		next := spanUnits[i+1]
		if n := sec % u.sec / next.sec; n > 0 {
			s += strconv.FormatInt(n, 10) + next.suffix
		}
	}
	return s
}

// writeJSON writes v to w as indented JSON, without the HTML escaping of encoding/json, so
// that claims read as they are.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("%w: %w", jwt.ErrMalformed, err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("jwt: cannot write the output: %w", err)
	}
	return nil
}
