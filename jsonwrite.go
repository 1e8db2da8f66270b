package jwt

// The JSON writer behind Encode: compact output that encoding/json decodes to the same values,
// every string escaped as encoding/json escapes it (HTML characters and U+2028/U+2029
// included), map keys sorted, and invalid UTF-8, NaN and infinities refused instead of being
// silently replaced.

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// safeASCII marks the ASCII bytes a JSON string can hold unescaped.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// appendString appends s as a JSON string. It reports false, and s is not fully appended,
// when s is not valid UTF-8.
func appendString(dst []byte, s string) ([]byte, bool) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safeASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default: // other control characters and < > &
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return dst, false
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), true
}

// appendFloat writes f as encoding/json does, and reports false for NaN and infinities.
func appendFloat(dst []byte, f float64, bits int) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' { // 1e-07 becomes 1e-7, as encoding/json writes it
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, true
}

// appendAudience writes a one-element audience as a string, any other as an array.
func appendAudience(dst []byte, a Audience) ([]byte, error) {
	if len(a) == 1 {
		return appendClaimString(dst, a[0], "aud")
	}
	return appendStrings(dst, a, "aud")
}

func appendStrings(dst []byte, ss []string, name string) ([]byte, error) {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendClaimString(dst, s, name); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

func appendClaimString(dst []byte, s, name string) ([]byte, error) {
	dst, ok := appendString(dst, s)
	if !ok {
		return dst, fmt.Errorf("%w: %s: string is not valid UTF-8", ErrEncode, name)
	}
	return dst, nil
}

// maxEncodeDepth bounds nesting on output, which also stops cyclic values.
const maxEncodeDepth = 64

// appendClaims writes a claims value: a struct, a pointer to one, or a map with string keys.
func appendClaims(dst []byte, claims any) ([]byte, error) {
	if m, ok := claims.(map[string]any); ok {
		return appendMapAny(dst, m, 0)
	}
	v := reflect.ValueOf(claims)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if p := planFor(v.Type()); !p.custom {
			return appendStruct(dst, v, p, 0)
		}
		// Its own JSON methods or a ",string" field: encoding/json writes it, as the reader
		// leaves it to encoding/json too. The result must still be an object.
		b, err := json.Marshal(claims)
		if err != nil {
			return dst, fmt.Errorf("%w: %T cannot be written as JSON", ErrEncode, claims)
		}
		if b[0] != '{' {
			return dst, fmt.Errorf("%w: %T is not written as a JSON object", ErrEncode, claims)
		}
		return append(dst, b...), nil
	}
	switch {
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && !hasCustomJSON(v.Type()):
		return appendValue(dst, v, kindOther, "claims", 0)
	}
	return dst, fmt.Errorf("%w: claims must be a struct, a pointer to one, or a map with string keys", ErrEncode)
}

func appendStruct(dst []byte, v reflect.Value, p *plan, depth int) ([]byte, error) {
	if depth > maxEncodeDepth {
		return dst, fmt.Errorf("%w: nested too deeply", ErrEncode)
	}
	dst = append(dst, '{')
	first := true
	for i := range p.fields {
		f := &p.fields[i]
		if f.inClaims && v.CanAddr() {
			// The embedded Claims is written directly, without reflecting on its fields.
			if i != p.firstClaim {
				continue
			}
			cv, ok := fieldForRead(v, p.claims)
			if !ok {
				continue
			}
			var err error
			if dst, first, err = appendRegistered(dst, cv.Addr().Interface().(*Claims), first); err != nil {
				return dst, err
			}
			continue
		}
		fv, ok := fieldForRead(v, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv, f.kind) {
			continue
		}
		if f.kind == kindNumericDate && !fv.Field(2).Bool() {
			continue // an absent date is left out
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, f.quoted...)
		var err error
		if dst, err = appendValue(dst, fv, f.kind, f.name, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendRegistered writes the members of c as its tags ask (absent values left out), after a
// comma unless first, and reports whether nothing has been written yet.
func appendRegistered(dst []byte, c *Claims, first bool) ([]byte, bool, error) {
	var err error
	member := func(name string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, '"')
		dst = append(dst, name...)
		dst = append(dst, '"', ':')
	}
	str := func(name, v string) {
		if v != "" && err == nil {
			member(name)
			dst, err = appendClaimString(dst, v, name)
		}
	}
	date := func(name string, d NumericDate) {
		if d.set {
			member(name)
			dst = strconv.AppendInt(dst, d.sec, 10)
		}
	}
	str("iss", c.Issuer)
	str("sub", c.Subject)
	if len(c.Audience) > 0 && err == nil {
		member("aud")
		dst, err = appendAudience(dst, c.Audience)
	}
	date("exp", c.ExpiresAt)
	date("nbf", c.NotBefore)
	date("iat", c.IssuedAt)
	str("jti", c.ID)
	return dst, first, err
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

type isZeroer interface{ IsZero() bool }

// isZero is encoding/json's omitzero test: the IsZero method if there is one, else the zero value.
func isZero(v reflect.Value, k kind) bool {
	switch {
	case k == kindNumericDate:
		return !v.Field(2).Bool()
	case v.Type().Implements(reflect.TypeFor[isZeroer]()):
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return v.Interface().(isZeroer).IsZero()
	}
	return v.IsZero()
}

// appendValue writes v, whose plan kind is k; name is the member name for error messages.
func appendValue(dst []byte, v reflect.Value, k kind, name string, depth int) ([]byte, error) {
	var ok bool
	switch k {
	case kindString:
		return appendClaimString(dst, v.String(), name)
	case kindBool:
		return strconv.AppendBool(dst, v.Bool()), nil
	case kindInt:
		return strconv.AppendInt(dst, v.Int(), 10), nil
	case kindUint:
		return strconv.AppendUint(dst, v.Uint(), 10), nil
	case kindFloat:
		if dst, ok = appendFloat(dst, v.Float(), v.Type().Bits()); !ok {
			return dst, fmt.Errorf("%w: %s: NaN or infinite number", ErrEncode, name)
		}
		return dst, nil
	case kindStrings:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendClaimString(dst, v.Index(i).String(), name); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case kindAudience:
		if v.Len() == 1 {
			return appendClaimString(dst, v.Index(0).String(), name)
		}
		return appendValue(dst, v, kindStrings, name, depth)
	case kindNumericDate:
		if !v.Field(2).Bool() {
			return append(dst, "null"...), nil
		}
		return strconv.AppendInt(dst, v.Field(0).Int(), 10), nil
	case kindMap:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendMapAny(dst, v.Interface().(map[string]any), depth)
	case kindAny:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		v = v.Elem()
		return appendValue(dst, v, kindOf(v.Type()), name, depth)
	}
	// kindOther
	if depth > maxEncodeDepth {
		return dst, fmt.Errorf("%w: %s: nested too deeply", ErrEncode, name)
	}
	t := v.Type()
	if hasCustomJSON(t) || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return append(dst, "null"...), nil
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return dst, fmt.Errorf("%w: %s: %T cannot be written as JSON", ErrEncode, name, v.Interface())
		}
		return append(dst, b...), nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		e := v.Elem()
		return appendValue(dst, e, kindOf(e.Type()), name, depth+1)
	case reflect.Struct:
		return appendStruct(dst, v, planFor(t), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(dst, "null"...), nil
		}
		ek := kindOf(t.Elem())
		dst = append(dst, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, v.Index(i), ek, name, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			break
		}
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			switch x, y := a.String(), b.String(); {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		})
		ek := kindOf(t.Elem())
		dst = append(dst, '{')
		for i, key := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendClaimString(dst, key.String(), name); err != nil {
				return dst, err
			}
			dst = append(dst, ':')
			if dst, err = appendValue(dst, v.MapIndex(key), ek, name, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	}
	return dst, fmt.Errorf("%w: %s: values of type %s cannot be written as JSON", ErrEncode, name, t)
}

// appendMapAny writes m with its keys sorted.
func appendMapAny(dst []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > maxEncodeDepth {
		return dst, fmt.Errorf("%w: nested too deeply", ErrEncode)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendClaimString(dst, k, "member name"); err != nil {
			return dst, err
		}
		dst = append(dst, ':')
		if dst, err = appendAny(dst, m[k], k, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendAny writes a value held in an interface, with fast cases for what maps usually hold.
func appendAny(dst []byte, x any, name string, depth int) ([]byte, error) {
	switch x := x.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return appendClaimString(dst, x, name)
	case bool:
		return strconv.AppendBool(dst, x), nil
	case float64:
		dst, ok := appendFloat(dst, x, 64)
		if !ok {
			return dst, fmt.Errorf("%w: %s: NaN or infinite number", ErrEncode, name)
		}
		return dst, nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case json.Number:
		if !validNumber(string(x)) {
			return dst, fmt.Errorf("%w: %s: invalid json.Number", ErrEncode, name)
		}
		return append(dst, x...), nil
	case NumericDate:
		if !x.set {
			return append(dst, "null"...), nil
		}
		return strconv.AppendInt(dst, x.sec, 10), nil
	case Audience:
		return appendAudience(dst, x)
	case []string:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return appendStrings(dst, x, name)
	case []any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendAny(dst, e, name, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return appendMapAny(dst, x, depth)
	}
	v := reflect.ValueOf(x)
	return appendValue(dst, v, kindOf(v.Type()), name, depth)
}
