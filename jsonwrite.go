package jwt

// The JSON writer behind Encode: compact output that encoding/json decodes to the same values,
// every string escaped as encoding/json escapes it (HTML characters and U+2028/U+2029
// included), map keys sorted, and invalid UTF-8, NaN and infinities refused instead of being
// silently replaced. It also refuses what would make a token its own Decode refuses: nesting
// deeper than maxDepth (which stops cycles), registered claims of the wrong JSON type, and
// MarshalJSON output the strict reader would not accept.

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// hexDigits are the digits of the \u00XX escapes the writer emits, in lower case as
// encoding/json writes them.
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

// safeRun returns the offset of the first byte at or after i that appendString must look
// at (not safeASCII), or len(s), eight bytes at a time as plainRun does, with the three bytes
// encoding/json escapes for HTML (<, > and &) as stops too.
func safeRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := word8(s[i : i+8])
		q, b := w^(ones*'"'), w^(ones*'\\')
		lt, gt, amp := w^(ones*'<'), w^(ones*'>'), w^(ones*'&')
		stop := (q-ones)&^q | (b-ones)&^b | (lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp |
			(w - ones*0x20) | w
		if stop &= highs; stop != 0 {
			return i + bits.TrailingZeros64(stop)/8
		}
	}
	for i < len(s) && s[i] < utf8.RuneSelf && safeASCII[s[i]] {
		i++
	}
	return i
}

// appendString appends s as a JSON string. It reports false, and s is not fully appended,
// when s is not valid UTF-8.
func appendString(dst []byte, s string) ([]byte, bool) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i = safeRun(s, i); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
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

// appendAudience writes an audience of n strings, at(i) giving the i-th, the way Audience is
// written everywhere: a one-element audience as a string, any other as an array, inside
// depth arrays and objects. Errors name the member name.
func appendAudience(dst []byte, n int, at func(int) string, name string, depth int) ([]byte, error) {
	if n == 1 {
		return appendClaimString(dst, at(0), name)
	}
	return appendStringArray(dst, n, at, name, depth)
}

// appendStringArray writes n strings, at(i) giving the i-th, as a JSON array inside depth
// arrays and objects, and refuses one nested deeper than Decode reads. Every array of
// strings is written here: []string, Audience and other slices of string, typed or reached
// by reflection (whose at reads v.Index(i), so that no slice is copied to the heap).
func appendStringArray(dst []byte, n int, at func(int) string, name string, depth int) ([]byte, error) {
	if _, err := enter(depth, name); err != nil {
		return dst, err
	}
	dst = append(dst, '[')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendClaimString(dst, at(i), name); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// appendClaimString writes s as a JSON string, and refuses it when it is not valid UTF-8,
// naming the member name.
func appendClaimString(dst []byte, s, name string) ([]byte, error) {
	dst, ok := appendString(dst, s)
	if !ok {
		return dst, fmt.Errorf("%w: %s: string is not valid UTF-8", ErrEncode, name)
	}
	return dst, nil
}

// maxIndirect bounds a chain of pointers and interfaces with no array or object between them,
// which only a cycle makes long (an interface holding a pointer to itself). Arrays and
// objects are bounded by maxDepth, as Decode bounds them.
const maxIndirect = 64

// enter counts one more array or object around what is written next, and refuses nesting
// that Decode would refuse: more than maxDepth levels, the claims set included.
func enter(depth int, name string) (int, error) {
	if depth++; depth > maxDepth {
		return depth, errTooDeep(name)
	}
	return depth, nil
}

// errFoldedName refuses an object, the value of member name, in which member key equals
// an earlier member's name but for case.
func errFoldedName(name, key string) error {
	return fmt.Errorf("%w: %s: member %q has the name of another member of its object but for case, and Decode refuses such an object (encoding/json would fill one field from both); rename one of them", ErrEncode, name, key)
}

// errTooDeep refuses a value, that of member name, nested deeper than Decode reads.
func errTooDeep(name string) error {
	return fmt.Errorf("%w: %s: arrays and objects nested more than %d deep, which Decode refuses (a cyclic value nests without end); nest less, or break the cycle", ErrEncode, name, maxDepth)
}

// appendClaims writes a claims value: a struct, a pointer to one, or a map with string keys.
func appendClaims(dst []byte, claims any) ([]byte, error) {
	if m, ok := claims.(map[string]any); ok {
		return appendMapAny(dst, m, "claims", 0)
	}
	v := reflect.ValueOf(claims)
	for range maxIndirect {
		if v.Kind() != reflect.Pointer || v.IsNil() {
			break
		}
		v = v.Elem()
	}
	switch {
	case v.Kind() == reflect.Struct:
		if p := planFor(v.Type()); !p.custom {
			return appendStruct(dst, v, p, "claims", 0)
		}
		return appendCustomClaims(dst, v)
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && !hasCustomJSON(v.Type()):
		return appendOther(dst, v, "claims", 0)
	}
	return dst, fmt.Errorf("%w: claims must be a struct, a pointer to one, or a map with string keys", ErrEncode)
}

// appendCustomClaims writes claims struct v the way encoding/json does, as the reader leaves
// such a type to encoding/json too (see plan.custom), and refuses the result unless Decode
// reads it as a claims set.
func appendCustomClaims(dst []byte, v reflect.Value) ([]byte, error) {
	x, err := marshalTarget(v, "claims")
	if err != nil {
		return dst, err
	}
	b, err := json.Marshal(x)
	if err != nil {
		return dst, fmt.Errorf("%w: %s cannot be written as JSON; check its MarshalJSON or MarshalText", ErrEncode, v.Type())
	}
	if b[0] != '{' {
		return dst, fmt.Errorf("%w: %s is not written as a JSON object; make it write one", ErrEncode, v.Type())
	}
	d := decoder{s: string(b)}
	var c Claims
	if _, err = d.claimsMap(&c); err == nil {
		err = d.end()
	}
	if err != nil {
		return dst, fmt.Errorf("%w: %s writes a claims set that Decode refuses (%v); fix its MarshalJSON or MarshalText", ErrEncode, v.Type(), err)
	}
	return append(dst, b...), nil
}

// appendStruct writes v, a struct of plan p, as a JSON object inside depth arrays and
// objects: its members in the order of p.fields, the order the reader expects them in (see
// claimsReader), with omitempty, omitzero and absent NumericDate fields left out. It refuses
// two members whose names are equal under folding, and in the claims set itself (depth 1) a
// registered claim in a form Decode refuses.
func appendStruct(dst []byte, v reflect.Value, p *plan, name string, depth int) ([]byte, error) {
	depth, err := enter(depth, name)
	if err != nil {
		return dst, err
	}
	top := depth == 1      // the members of the claims set itself
	var names *objectNames // only when fields of p share a fold class
	if p.foldShared {
		names = new(objectNames)
		defer names.set.release()
	}
	dst = append(dst, '{')
	first := true
	for i := range p.fields {
		f := &p.fields[i]
		if f.inClaims && v.CanAddr() && !p.foldShared {
			// The embedded Claims is written directly, without reflecting on its fields
			// (which, when a field of p shares a fold class, are written one by one below).
			if i != p.firstClaim {
				continue
			}
			cv, ok := fieldForRead(v, p.claims)
			if !ok {
				continue
			}
			if dst, first, err = appendRegistered(dst, cv.Addr().Interface().(*Claims), first); err != nil {
				return dst, err
			}
			continue
		}
		fv, ok := fieldForRead(v, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv, f.kind) {
			continue
		}
		if f.kind == kindNumericDate && dateOf(fv).IsZero() {
			continue // an absent date is left out
		}
		if f.foldShared && names.fieldFrom(nameSource{names: p.names}, i+1, f) {
			return dst, errFoldedName(name, f.name)
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, f.quoted...)
		start := len(dst)
		if dst, err = appendValue(dst, fv, f.kind, f.name, depth); err != nil {
			return dst, err
		}
		if top && f.reg >= 0 && !registeredKind(f.reg, f.kind) {
			if err = checkRegistered(dst[start:], f.reg); err != nil {
				return dst, err
			}
		}
	}
	return append(dst, '}'), nil
}

// registeredKind reports whether every value of plan kind k is written in the form Decode
// requires for registered claim r. A NumericDate qualifies because an absent one is left out.
func registeredKind(r int, k kind) bool {
	switch r {
	case claimAud:
		return k == kindAudience
	case claimExp, claimNbf, claimIat:
		return k == kindNumericDate
	}
	return k == kindString
}

// registeredAny reports whether x, held in an interface, is written in the form Decode requires
// for registered claim r without looking at what is written.
func registeredAny(r int, x any) bool {
	switch x := x.(type) {
	case string:
		return !isDateClaim(r)
	case Audience:
		return r == claimAud
	case []string:
		return r == claimAud && x != nil
	case NumericDate:
		return isDateClaim(r) && x.set
	}
	return false
}

// checkRegistered refuses b, the value written for registered claim r in the claims set
// itself, when Decode would refuse it there. It reads b with the reader's own claim, so the
// two cannot disagree; the writer calls it only for values whose type does not already
// guarantee the form (see registeredKind and registeredAny).
func checkRegistered(b []byte, r int) error {
	d := decoder{s: string(b)}
	var c Claims
	if err := d.claim(r, &c); err != nil || d.i != len(d.s) {
		if isDateClaim(r) {
			// A number of milliseconds, most likely: say so.
			again := decoder{s: d.s}
			if _, err := again.date(); err == errLateDate {
				return errLateDate9999(registered[r])
			}
		}
		form := "a string"
		switch r {
		case claimAud:
			form = "a string or an array of strings"
		case claimExp, claimNbf, claimIat:
			form = "a non-negative number of seconds (a NumericDate)"
		}
		return fmt.Errorf("%w: %s must be %s, as Decode reads the registered claims strictly; give it that type, or use another name", ErrEncode, registered[r], form)
	}
	return nil
}

// appendRegistered writes the members of c as its tags ask (absent values left out), after a
// comma unless first, and reports whether nothing has been written yet. It writes them in
// the order of Claims' fields, as appendStruct would: the reader expects that order (see
// claimsReader), so a token Encode wrote is read without a name lookup.
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
		if d.set && err == nil {
			member(name)
			dst, err = appendDate(dst, d, name)
		}
	}
	str("iss", c.Issuer)
	str("sub", c.Subject)
	if len(c.Audience) > 0 && err == nil {
		member("aud")
		aud := c.Audience
		dst, err = appendAudience(dst, len(aud), func(i int) string { return aud[i] }, "aud", 1)
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

// isZeroer is the method encoding/json's omitzero calls when a type has it.
type isZeroer interface{ IsZero() bool }

// isZero is encoding/json's omitzero test: the IsZero method if there is one, else the zero value.
func isZero(v reflect.Value, k kind) bool {
	switch {
	case k == kindNumericDate:
		return dateOf(v).IsZero()
	case v.Type().Implements(reflect.TypeFor[isZeroer]()):
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return v.Interface().(isZeroer).IsZero()
	}
	return v.IsZero()
}

// appendValue writes v, whose plan kind is k, inside depth arrays and objects; name is the
// member name for error messages.
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
			return dst, fmt.Errorf("%w: %s: NaN or infinite number; JSON has no such numbers", ErrEncode, name)
		}
		return dst, nil
	case kindStrings:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendStringArray(dst, v.Len(), func(i int) string { return v.Index(i).String() }, name, depth)
	case kindAudience:
		// nil as [], as Audience.MarshalJSON writes it
		return appendAudience(dst, v.Len(), func(i int) string { return v.Index(i).String() }, name, depth)
	case kindNumericDate:
		return appendDate(dst, dateOf(v), name)
	case kindMap:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendMapAny(dst, v.Interface().(map[string]any), name, depth)
	case kindAny:
		return appendIndirect(dst, v, name, depth)
	case kindStruct:
		// No JSON or text methods (see kindOf): only its plan says whether encoding/json
		// writes it (a ",string" field).
		if p := planFor(v.Type()); !p.custom {
			return appendStruct(dst, v, p, name, depth)
		}
	case kindMapOf:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendMap(dst, v, name, depth)
	}
	return appendOther(dst, v, name, depth)
}

// appendDate writes d as the NumericDate of member name: its whole seconds. It refuses an
// absent date, which encoding/json writes as null and Decode refuses; where an absent date
// is left out (a struct field, a registered claim of Claims), the caller checks first.
func appendDate(dst []byte, d NumericDate, name string) ([]byte, error) {
	if !d.set {
		return dst, errAbsentDate(name)
	}
	if d.sec > maxNumericDate {
		return dst, errLateDate9999(name)
	}
	return strconv.AppendInt(dst, d.sec, 10), nil
}

// errLateDate9999 refuses a date after the year 9999 for member name, which Decode refuses
// (see NumericDate): most likely milliseconds where seconds were meant.
func errLateDate9999(name string) error {
	return fmt.Errorf("%w: %s: date after the year 9999, which Decode refuses: a NumericDate counts seconds, and this one most likely counts milliseconds; write time.Now().Add(time.Hour).Unix(), not .UnixMilli(), or use NewNumericDate", ErrEncode, name)
}

// errAbsentDate refuses an absent NumericDate where it is not left out: encoding/json writes
// it as null, which Decode (and NumericDate.UnmarshalJSON) refuse for a date.
func errAbsentDate(name string) error {
	return fmt.Errorf("%w: %s: an absent NumericDate is left out only as a struct field; leave it out here too", ErrEncode, name)
}

// appendIndirect writes what v, a pointer or an interface, leads to: null when it is nil.
// A chain of them is followed in a loop, up to maxIndirect long.
func appendIndirect(dst []byte, v reflect.Value, name string, depth int) ([]byte, error) {
	for range maxIndirect {
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		v = v.Elem()
		k := kindOf(v.Type())
		if k == kindAny || k == kindOther && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && !hasCustomJSON(v.Type()) {
			continue
		}
		return appendValue(dst, v, k, name, depth)
	}
	return dst, fmt.Errorf("%w: %s: more than %d pointers or interfaces in a row, as a value that points to itself has; break the cycle", ErrEncode, name, maxIndirect)
}

// appendOther writes v, of plan kind kindOther, as encoding/json does.
func appendOther(dst []byte, v reflect.Value, name string, depth int) ([]byte, error) {
	t := v.Type()
	switch {
	case t == numberType:
		return appendNumber(dst, json.Number(v.String()), name)
	case hasCustomJSON(t) || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return appendCustom(dst, v, name, depth)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return appendIndirect(dst, v, name, depth)
	case reflect.Struct:
		p := planFor(t)
		if p.custom { // a ",string" field
			return appendCustom(dst, v, name, depth)
		}
		return appendStruct(dst, v, p, name, depth)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendArray(dst, v, name, depth)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			break
		}
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendMap(dst, v, name, depth)
	}
	return dst, fmt.Errorf("%w: %s: values of type %s cannot be written as JSON; use another type", ErrEncode, name, t)
}

// appendArray writes v, a slice or an array, as a JSON array inside depth arrays and objects.
func appendArray(dst []byte, v reflect.Value, name string, depth int) ([]byte, error) {
	depth, err := enter(depth, name)
	if err != nil {
		return dst, err
	}
	ek := kindOf(v.Type().Elem())
	dst = append(dst, '[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendValue(dst, v.Index(i), ek, name, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// appendMap writes v, a map with string keys other than map[string]any, as appendMapAny
// writes one: keys sorted, names equal under folding refused, registered claims checked in
// the claims set itself. The keys are copied out through one reusable Value; the values are
// copies, not addressable, as encoding/json sees them (a MarshalJSON with a pointer receiver
// is not called on them).
func appendMap(dst []byte, v reflect.Value, name string, depth int) ([]byte, error) {
	depth, err := enter(depth, name)
	if err != nil {
		return dst, err
	}
	t := v.Type()
	n := v.Len()
	var nameBuf [8]string
	var orderBuf [8]int
	var valBuf [8]reflect.Value
	names, order, vals := nameBuf[:0], orderBuf[:0], valBuf[:0]
	if n > len(nameBuf) {
		names, order, vals = make([]string, 0, n), make([]int, 0, n), make([]reflect.Value, 0, n)
	}
	kv := reflect.New(t.Key()).Elem()
	var it reflect.MapIter
	it.Reset(v)
	for it.Next() && len(names) < n {
		kv.SetIterKey(&it)
		order = append(order, len(names))
		names = append(names, kv.String())
		vals = append(vals, it.Value())
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	ek := kindOf(t.Elem())
	var folded objectNames
	defer folded.set.release()
	dst = append(dst, '{')
	for j, i := range order {
		k := names[i]
		if j > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendClaimString(dst, k, name); err != nil {
			return dst, err
		}
		if len(names) > 1 && folded.otherFrom(nameSource{names: names}, i+1, k) {
			return dst, errFoldedName(name, k)
		}
		dst = append(dst, ':')
		start := len(dst)
		if dst, err = appendValue(dst, vals[i], ek, name, depth); err != nil {
			return dst, err
		}
		if r := registeredIndex(k); r >= 0 && depth == 1 && !registeredKind(r, ek) {
			if err = checkRegistered(dst[start:], r); err != nil {
				return dst, err
			}
		}
	}
	return append(dst, '}'), nil
}

// appendNumber writes n as encoding/json writes a json.Number: as the number it holds, 0 when
// empty. It refuses what is not a JSON number, and a number beyond the range of float64, which
// Decode cannot read into a map or an interface.
func appendNumber(dst []byte, n json.Number, name string) ([]byte, error) {
	s := string(n)
	if s == "" {
		s = "0"
	}
	if !validNumber(s) {
		return dst, fmt.Errorf("%w: %s: json.Number is not a JSON number; give it the text of one", ErrEncode, name)
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return dst, fmt.Errorf("%w: %s: json.Number is beyond the range of float64, which Decode refuses in a map or an interface; send it as a string", ErrEncode, name)
	}
	return append(dst, s...), nil
}

// appendCustom writes v, whose type has its own JSON or text methods (or is a byte slice, or
// a struct with a ",string" field), as encoding/json writes it in place, and refuses the result
// unless Decode reads it there: valid UTF-8, no duplicate names, numbers within float64 and
// nesting within maxDepth.
func appendCustom(dst []byte, v reflect.Value, name string, depth int) ([]byte, error) {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return append(dst, "null"...), nil
	}
	x, err := marshalTarget(v, name)
	if err != nil {
		return dst, err
	}
	b, err := json.Marshal(x)
	if err != nil {
		return dst, fmt.Errorf("%w: %s: %s cannot be written as JSON; check its MarshalJSON or MarshalText", ErrEncode, name, v.Type())
	}
	d := decoder{s: string(b), depth: depth}
	if _, err = d.anyValue(); err == nil {
		err = d.end()
	}
	if err != nil {
		return dst, fmt.Errorf("%w: %s: %s writes JSON that Decode refuses (%v); fix its MarshalJSON or MarshalText", ErrEncode, name, v.Type(), err)
	}
	return append(dst, b...), nil
}

// marshalTarget returns what to give json.Marshal for it to write v as encoding/json writes v
// in place: v's address when v is addressable, as encoding/json then calls methods with a
// pointer receiver too. It refuses a value that is not addressable and whose type writes
// itself only through such a method: encoding/json would skip the method and write the value
// in a form the type does not expect to read.
func marshalTarget(v reflect.Value, name string) (any, error) {
	if v.CanAddr() {
		return v.Addr().Interface(), nil
	}
	if t := v.Type(); pointerMarshaler(t) {
		return nil, fmt.Errorf("%w: %s: %s writes itself with a pointer method, which encoding/json skips on a copy; pass the claims by pointer, or hold a *%s", ErrEncode, name, t, t)
	}
	return v.Interface(), nil
}

// pointerMarshaler reports whether values of t are written by a MarshalJSON or MarshalText
// method that only *t has.
func pointerMarshaler(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface || t.Implements(marshalerType) {
		return false
	}
	p := reflect.PointerTo(t)
	return p.Implements(marshalerType) || !t.Implements(textMarshaler) && p.Implements(textMarshaler)
}

// appendMapAny writes m with its keys sorted.
func appendMapAny(dst []byte, m map[string]any, name string, depth int) ([]byte, error) {
	depth, err := enter(depth, name)
	if err != nil {
		return dst, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var folded objectNames
	defer folded.set.release()
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendClaimString(dst, k, "member name"); err != nil {
			return dst, err
		}
		if len(keys) > 1 && folded.otherFrom(nameSource{names: keys}, i+1, k) {
			return dst, errFoldedName(name, k)
		}
		dst = append(dst, ':')
		start := len(dst)
		if dst, err = appendAny(dst, m[k], k, depth); err != nil {
			return dst, err
		}
		if depth == 1 {
			if r := registeredIndex(k); r >= 0 && !registeredAny(r, m[k]) {
				if err = checkRegistered(dst[start:], r); err != nil {
					return dst, err
				}
			}
		}
	}
	return append(dst, '}'), nil
}

// appendAny writes a value held in an interface inside depth arrays and objects, with fast
// cases for what maps usually hold.
func appendAny(dst []byte, x any, name string, depth int) ([]byte, error) {
	var err error
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
			return dst, fmt.Errorf("%w: %s: NaN or infinite number; JSON has no such numbers", ErrEncode, name)
		}
		return dst, nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case json.Number:
		return appendNumber(dst, x, name)
	case NumericDate:
		return appendDate(dst, x, name)
	case Audience:
		// Errors name aud, whatever the member, as Audience.MarshalJSON's do.
		return appendAudience(dst, len(x), func(i int) string { return x[i] }, "aud", depth)
	case []string:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return appendStringArray(dst, len(x), func(i int) string { return x[i] }, name, depth)
	case []any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		if depth, err = enter(depth, name); err != nil {
			return dst, err
		}
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendAny(dst, e, name, depth); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return appendMapAny(dst, x, name, depth)
	}
	v := reflect.ValueOf(x)
	return appendValue(dst, v, kindOf(v.Type()), name, depth)
}
