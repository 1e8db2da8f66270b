package jwt

import "fmt"

// Header is a decoded JOSE header (RFC 7515 §4.1), as InspectUnverified returns it.
type Header struct {
	Algorithm   string // alg
	Type        string // typ
	KeyID       string // kid
	ContentType string // cty
}

// encodeHeader returns the JSON header a key writes: alg, typ, and kid when set, every string
// escaped so that no key ID can add a member.
func encodeHeader(alg Algorithm, typ, kid string) ([]byte, error) {
	b := append([]byte(nil), `{"alg":`...)
	b, _ = appendString(b, string(alg))
	var ok bool
	b = append(b, `,"typ":`...)
	if b, ok = appendString(b, typ); !ok {
		return nil, fmt.Errorf("%w: typ is not valid UTF-8", ErrInvalidConfig)
	}
	if kid != "" {
		b = append(b, `,"kid":`...)
		if b, ok = appendString(b, kid); !ok {
			return nil, fmt.Errorf("%w: kid is not valid UTF-8", ErrInvalidConfig)
		}
	}
	return append(b, '}'), nil
}

// parseHeader reads a JOSE header strictly: one JSON object, no two members of one object
// whose names are equal exactly or under case folding ("kid" and "KID"), alg present and a
// string, typ, kid and cty strings when present. Names match exactly: "KID" alone is an
// unknown member. crit is rejected whatever its value, since this package understands no
// extension (RFC 7515 §4.1.11), and so is b64 (RFC 7797). Other members are ignored; keys are
// never taken from the header (jwk, jku, x5u, x5c).
func parseHeader(s string) (Header, error) {
	var h Header
	d := decoder{s: s}
	if err := d.openObject(); err != nil {
		return h, err
	}
	var names objectNames
	hasAlg := false
	for n := 0; ; n++ {
		name, ok, err := d.member(n)
		if err != nil {
			return h, err
		}
		if !ok {
			break
		}
		if _, dup := names.other(&d, nil, name); dup {
			return h, d.duplicateError()
		}
		var dst *string
		switch name {
		case "alg":
			dst, hasAlg = &h.Algorithm, true
		case "typ":
			dst = &h.Type
		case "kid":
			dst = &h.KeyID
		case "cty":
			dst = &h.ContentType
		case "crit":
			return h, &jsonError{off: d.i, msg: "crit is not supported"}
		case "b64":
			return h, &jsonError{off: d.i, msg: "b64 is not supported"}
		default:
			if err := d.skipValue(); err != nil {
				return h, err
			}
			continue
		}
		start := d.i
		if *dst, err = d.str(); err != nil {
			return h, d.valueError(name, "string", start, err)
		}
	}
	names.set.release()
	if err := d.end(); err != nil {
		return h, err
	}
	if !hasAlg {
		return h, errNoAlg
	}
	return h, nil
}

// errNoAlg marks a header without alg; Decode reports it as ErrAlgorithm.
var errNoAlg = &jsonError{msg: "alg missing"}

// sameMediaType compares two typ values as RFC 7515 §4.1.9 asks: case-insensitively, with an
// optional "application/" prefix. Media type names are ASCII (RFC 2045 §5.1, RFC 6838 §4.2)
// and compared ASCII case-insensitively: Unicode case folding, under which U+017F (long s)
// equals "s" and U+212A (Kelvin sign) equals "k", would let other text pass as the type.
func sameMediaType(a, b string) bool {
	return equalFoldASCII(trimApplication(a), trimApplication(b))
}

func trimApplication(s string) string {
	const prefix = "application/"
	if len(s) > len(prefix) && equalFoldASCII(s[:len(prefix)], prefix) {
		return s[len(prefix):]
	}
	return s
}

// equalFoldASCII reports whether a and b are equal when ASCII letters are compared without
// case; every other byte must match exactly (unlike strings.EqualFold, which folds Unicode).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
