package jwthttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/zerojwt/jwt"
)

// maxBodySize bounds the body the handlers read with RefreshInBody: a refresh token of the
// largest size Sessions issues (jwt.DefaultMaxTokenSize) and a kilobyte for the member name,
// white space and escapes.
const maxBodySize = jwt.DefaultMaxTokenSize + 1<<10

// Names of the member of a request body that holds the refresh token: RFC 6749 §6's
// parameter, and the one Django REST framework SimpleJWT's views read.
const (
	memberRefreshToken = "refresh_token"
	memberRefresh      = "refresh"
)

// badBody is a request refused before its refresh token was looked at.
type badBody struct {
	status int    // 400, 413 or 415
	err    error  // the reason logged: wraps ErrBadRequest or ErrNoToken
	why    string // error_description, a fixed text that never holds any of the request
}

// refused returns the badBody of status for why, of kind sentinel.
func refused(status int, sentinel error, why string) *badBody {
	return &badBody{status, fmt.Errorf("%w: %s", sentinel, why), why}
}

// bodyToken returns the refresh token of a body-mode request: an application/json body
// of at most maxBodySize bytes, holding one JSON object with exactly one member,
// refresh_token or refresh, whose value is a non-empty string.
func bodyToken(w http.ResponseWriter, r *http.Request) (string, *badBody) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "", refused(http.StatusUnsupportedMediaType, ErrBadRequest, "Content-Type must be application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodySize))
	token, name, bad := readObject(dec)
	if bad == nil {
		if _, err := dec.Token(); err != io.EOF {
			bad = tokenError(err, "the body must hold one JSON object and nothing after it")
		}
	}
	switch {
	case bad != nil:
		return "", bad
	case name == "":
		return "", refused(http.StatusBadRequest, ErrNoToken, "the body has no refresh_token member")
	case token == "":
		return "", refused(http.StatusBadRequest, ErrNoToken, "the "+name+" member is empty")
	}
	return token, nil
}

// readObject reads one JSON object from dec and returns the value of its refresh-token
// member and that member's name ("" when there is none).
func readObject(dec *json.Decoder) (token, name string, bad *badBody) {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", "", tokenError(err, "the body must be a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return "", "", tokenError(err, "the body must be a JSON object")
		}
		member, _ := t.(string) // object keys are strings
		switch {
		case member != memberRefreshToken && member != memberRefresh:
			return "", "", refused(http.StatusBadRequest, ErrBadRequest, "unknown member: send only refresh_token (or refresh)")
		case member == name:
			return "", "", refused(http.StatusBadRequest, ErrBadRequest, "a member appears twice")
		case name != "":
			return "", "", refused(http.StatusBadRequest, ErrBadRequest, "both refresh_token and refresh: send one")
		}
		name = member
		if t, err = dec.Token(); err != nil {
			return "", "", tokenError(err, "the body must be a JSON object")
		}
		var ok bool
		if token, ok = t.(string); !ok {
			return "", "", refused(http.StatusBadRequest, ErrBadRequest, "the "+name+" member must be a string")
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace: More returned false
		return "", "", tokenError(err, "the body must be a JSON object")
	}
	return token, name, nil
}

// tokenError is the badBody of a failure to read the next JSON token: a body over the limit,
// or else why.
func tokenError(err error, why string) *badBody {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return refused(http.StatusRequestEntityTooLarge, ErrBadRequest, fmt.Sprintf("the body is larger than %d bytes", maxBodySize))
	}
	return refused(http.StatusBadRequest, ErrBadRequest, why)
}
