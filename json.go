package jwt

// A strict JSON reader for headers and claims sets (RFC 8259), written for this package:
// member names match exactly, two members of one object whose names are equal, or equal
// under encoding/json's case folding, are rejected at every level (see fold.go), strings
// must be valid UTF-8 without unpaired surrogates, nesting is bounded, and values are read
// straight into the destination through a per-type plan (see plan.go) instead of through
// encoding/json, which is lenient on all four points and several times slower. Where
// encoding/json still fills a value (types with their own methods, ",string" fields, other
// kinds), it is given the text with every member name that it would bind to a field only by
// folding replaced by "", so that it binds exactly the members the reader does.

import (
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects in a header or claims set.
const maxDepth = 64

// jsonError describes where a JSON text was refused. It never quotes the text.
type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.off) + ": " + e.msg
}

// errNumericDate is returned for a date claim that is not a non-negative JSON number in range.
var errNumericDate = &jsonError{msg: "date must be a non-negative number of seconds within range"}

// decoder reads one JSON text held in s.
type decoder struct {
	s     string
	i     int
	depth int
	// nameOff is the offset of the opening quote of the member name read last.
	nameOff int
	// required holds Expect.Claims while the claims set is read (nil otherwise): claimsSet
	// compares each member of the claims set named as one of them with its value when it
	// reaches it, counting in matched those equal and keeping in wrong the name of the first
	// that is not. As no name occurs twice in an object, matched == len(required) means that
	// every required claim is present with its value.
	required map[string]string
	matched  int
	wrong    string
}

func (d *decoder) syntaxError(what string) error {
	return &jsonError{off: d.i, msg: what}
}

// duplicateError reports a member whose name equals another's of the same object, exactly or
// under case folding.
func (d *decoder) duplicateError() error {
	return &jsonError{off: d.nameOff, msg: "duplicate member name (names equal but for case count as the same)"}
}

func (d *decoder) skipSpace() {
	for d.i < len(d.s) && d.s[d.i] <= ' ' {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// end checks that only white space follows the value just read.
func (d *decoder) end() error {
	d.skipSpace()
	if d.i != len(d.s) {
		return d.syntaxError("data after the top-level value")
	}
	return nil
}

// openObject consumes '{'.
func (d *decoder) openObject() error {
	d.skipSpace()
	if d.i >= len(d.s) || d.s[d.i] != '{' {
		return d.syntaxError("expected an object")
	}
	d.i++
	d.depth++
	if d.depth > maxDepth {
		return d.syntaxError("nested too deeply")
	}
	return nil
}

// member reads the name and colon of the n-th member (counting from 0) of the object being
// read, or consumes the closing brace and reports ok == false.
func (d *decoder) member(n int) (name string, ok bool, err error) {
	d.skipSpace()
	if d.i >= len(d.s) {
		return "", false, d.syntaxError("unexpected end in object")
	}
	if d.s[d.i] == '}' {
		d.i++
		d.depth--
		return "", false, nil
	}
	if n > 0 {
		if d.s[d.i] != ',' {
			return "", false, d.syntaxError("expected ',' or '}'")
		}
		d.i++
		d.skipSpace()
	}
	if d.i >= len(d.s) || d.s[d.i] != '"' {
		return "", false, d.syntaxError("expected a member name")
	}
	d.nameOff = d.i
	if name, err = d.str(); err != nil {
		return "", false, err
	}
	d.skipSpace()
	if d.i >= len(d.s) || d.s[d.i] != ':' {
		return "", false, d.syntaxError("expected ':'")
	}
	d.i++
	d.skipSpace()
	return name, true, nil
}

// compactName reads the name and colon of the n-th member in the form compact JSON writes
// (`"name":` or `,"name":` with a plain ASCII name and no white space) and reports false,
// consuming nothing, for any other form, which member then reads.
func (d *decoder) compactName(n int) (string, bool) {
	s, i := d.s, d.i
	if n > 0 {
		if i >= len(s) || s[i] != ',' {
			return "", false
		}
		i++
	}
	if i >= len(s) || s[i] != '"' {
		return "", false
	}
	i++
	j := i
	for j < len(s) && plainByte[s[j]] {
		j++
	}
	if j+1 >= len(s) || s[j] != '"' || s[j+1] != ':' {
		return "", false
	}
	d.nameOff = i - 1
	d.i = j + 2
	d.skipSpace()
	return s[i:j], true
}

// expectedName reads the name and colon of the n-th member when they are spelled exactly
// as f.quoted (`"name":`, after a ',' unless n is 0), and reports false, consuming nothing,
// otherwise.
func (d *decoder) expectedName(n int, f *field) bool {
	s, i := d.s, d.i
	if n > 0 {
		if i >= len(s) || s[i] != ',' {
			return false
		}
		i++
	}
	q := f.quoted
	if len(s)-i < len(q) {
		return false
	}
	if len(s)-i >= 8 {
		// The first eight bytes in one comparison, as most names fit in them.
		t := s[i : i+8]
		w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		if w&f.mask8 != f.head8 || len(q) > 8 && s[i+8:i+len(q)] != q[8:] {
			return false
		}
	} else if s[i:i+len(q)] != q {
		return false
	}
	d.nameOff = i
	d.i = i + len(q)
	d.skipSpace()
	return true
}

// str reads a JSON string starting at the opening quote. Without escapes the result is a
// substring of d.s and costs no allocation.
func (d *decoder) str() (string, error) {
	s, i := d.s, d.i
	if i >= len(s) || s[i] != '"' {
		return "", d.syntaxError("expected a string")
	}
	i++
	start := i
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	if i < len(s) && s[i] == '"' {
		d.i = i + 1
		return s[start:i], nil
	}
	return d.strRest(start, i)
}

// strRest finishes a string whose first start..j bytes were plain ASCII. It steps over each
// run of bytes that need no look (anything but a quote, a backslash or a control character)
// and checks the run's UTF-8 at once.
func (d *decoder) strRest(start, j int) (string, error) {
	for {
		k := j
		for k < len(d.s) && !stopByte[d.s[k]] {
			k++
		}
		if !utf8.ValidString(d.s[j:k]) {
			for j < k {
				r, size := utf8.DecodeRuneInString(d.s[j:k])
				if r == utf8.RuneError && size == 1 {
					break
				}
				j += size
			}
			d.i = j
			return "", d.syntaxError("invalid UTF-8 in string")
		}
		j = k
		switch {
		case j >= len(d.s):
			d.i = len(d.s)
			return "", d.syntaxError("unterminated string")
		case d.s[j] == '"':
			d.i = j + 1
			return d.s[start:j], nil
		case d.s[j] == '\\':
			return d.unescape(start, j)
		default:
			d.i = j
			return "", d.syntaxError("control character in string")
		}
	}
}

// stopByte marks the bytes that end a run in strRest: the quote, the backslash and the
// control characters.
var stopByte = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// plainByte marks the bytes a string can hold that need no further look: printable ASCII
// but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// unescape finishes a string that has escapes; start is its first byte, j the first backslash.
func (d *decoder) unescape(start, j int) (string, error) {
	b := make([]byte, 0, j-start+16)
	b = append(b, d.s[start:j]...)
	for j < len(d.s) {
		c := d.s[j]
		switch {
		case c == '"':
			d.i = j + 1
			return string(b), nil
		case c == '\\':
			if j+1 >= len(d.s) {
				d.i = j
				return "", d.syntaxError("unterminated string")
			}
			e := d.s[j+1]
			j += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d.s, j)
				if !ok {
					d.i = j
					return "", d.syntaxError("invalid \\u escape")
				}
				j += 4
				if utf16.IsSurrogate(r) {
					// A high surrogate must be followed by an escaped low surrogate.
					r2, ok := rune(0), false
					if j+6 <= len(d.s) && d.s[j] == '\\' && d.s[j+1] == 'u' {
						r2, ok = hex4(d.s, j+2)
					}
					dec := utf16.DecodeRune(r, r2)
					if !ok || dec == utf8.RuneError {
						d.i = j
						return "", d.syntaxError("unpaired surrogate in string")
					}
					r = dec
					j += 6
				}
				b = utf8.AppendRune(b, r)
			default:
				d.i = j - 1
				return "", d.syntaxError("invalid escape")
			}
		case c < 0x20:
			d.i = j
			return "", d.syntaxError("control character in string")
		case c < utf8.RuneSelf:
			b = append(b, c)
			j++
		default:
			r, size := utf8.DecodeRuneInString(d.s[j:])
			if r == utf8.RuneError && size == 1 {
				d.i = j
				return "", d.syntaxError("invalid UTF-8 in string")
			}
			b = append(b, d.s[j:j+size]...)
			j += size
		}
	}
	d.i = len(d.s)
	return "", d.syntaxError("unterminated string")
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number and returns its text.
func (d *decoder) number() (string, error) {
	start := d.i
	n := numberLen(d.s[d.i:])
	if n == 0 {
		return "", d.syntaxError("invalid number")
	}
	d.i += n
	return d.s[start:d.i], nil
}

// numberLen returns the length of the JSON number at the start of s, or 0 if there is none.
func numberLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
	default:
		return 0
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0
		}
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0
		}
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
	}
	return i
}

// validNumber reports whether s is exactly one JSON number.
func validNumber(s string) bool {
	return len(s) > 0 && numberLen(s) == len(s)
}

// literal consumes the literal word (true, false or null) if it is next.
func (d *decoder) literal(word string) bool {
	if len(d.s)-d.i >= len(word) && d.s[d.i:d.i+len(word)] == word {
		d.i += len(word)
		return true
	}
	return false
}

// boolean reads true or false.
func (d *decoder) boolean() (bool, error) {
	switch {
	case d.literal("true"):
		return true, nil
	case d.literal("false"):
		return false, nil
	}
	return false, d.syntaxError("expected true or false")
}

// skipValue checks the next value, whatever it is, and steps over it.
func (d *decoder) skipValue() error {
	if d.i >= len(d.s) {
		return d.syntaxError("expected a value")
	}
	switch c := d.s[d.i]; {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{':
		if err := d.openObject(); err != nil {
			return err
		}
		var names objectNames
		for n := 0; ; n++ {
			name, ok, err := d.member(n)
			if err != nil {
				return err
			}
			if !ok {
				names.set.release()
				return nil
			}
			if _, dup := names.other(d, nil, name); dup {
				return d.duplicateError()
			}
			if err := d.skipValue(); err != nil {
				return err
			}
		}
	case c == '[':
		d.i++
		d.depth++
		if d.depth > maxDepth {
			return d.syntaxError("nested too deeply")
		}
		for n := 0; ; n++ {
			d.skipSpace()
			if d.i >= len(d.s) {
				return d.syntaxError("unexpected end in array")
			}
			if d.s[d.i] == ']' {
				d.i++
				d.depth--
				return nil
			}
			if n > 0 {
				if d.s[d.i] != ',' {
					return d.syntaxError("expected ',' or ']'")
				}
				d.i++
				d.skipSpace()
			}
			if err := d.skipValue(); err != nil {
				return err
			}
		}
	case c == 't' || c == 'f':
		_, err := d.boolean()
		return err
	case c == 'n':
		if d.literal("null") {
			return nil
		}
		return d.syntaxError("invalid literal")
	default:
		_, err := d.number()
		return err
	}
}

// array reads an array, calling elem with the decoder at the start of each element.
func (d *decoder) array(elem func() error) error {
	d.i++ // '['
	d.depth++
	if d.depth > maxDepth {
		return d.syntaxError("nested too deeply")
	}
	for n := 0; ; n++ {
		d.skipSpace()
		if d.i >= len(d.s) {
			return d.syntaxError("unexpected end in array")
		}
		if d.s[d.i] == ']' {
			d.i++
			d.depth--
			return nil
		}
		if n > 0 {
			if d.s[d.i] != ',' {
				return d.syntaxError("expected ',' or ']'")
			}
			d.i++
			d.skipSpace()
		}
		if err := elem(); err != nil {
			return err
		}
	}
}

// strings reads an array of strings.
func (d *decoder) strings() ([]string, error) {
	if d.i >= len(d.s) || d.s[d.i] != '[' {
		return nil, d.syntaxError("expected an array of strings")
	}
	var out []string
	err := d.array(func() error {
		s, err := d.str()
		out = append(out, s)
		return err
	})
	if out == nil && err == nil {
		out = []string{}
	}
	return out, err
}

// checkStrings checks an array of strings, or for aud also a lone string, keeping nothing.
func (d *decoder) checkStrings(aud bool) error {
	if aud && d.i < len(d.s) && d.s[d.i] == '"' {
		_, err := d.str()
		return err
	}
	if d.i >= len(d.s) || d.s[d.i] != '[' {
		return d.syntaxError("expected an array of strings")
	}
	return d.array(func() error {
		_, err := d.str()
		return err
	})
}

// audience reads aud: a string, or an array of strings.
func (d *decoder) audience() (Audience, error) {
	if d.i < len(d.s) && d.s[d.i] == '"' {
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return Audience{s}, nil
	}
	return d.strings()
}

// anyValue reads any value the way encoding/json does into an interface{}: objects as
// map[string]any, arrays as []any, numbers as float64.
func (d *decoder) anyValue() (any, error) {
	if d.i >= len(d.s) {
		return nil, d.syntaxError("expected a value")
	}
	switch c := d.s[d.i]; {
	case c == '"':
		return d.str()
	case c == '{':
		return d.object()
	case c == '[':
		out := []any{}
		err := d.array(func() error {
			v, err := d.anyValue()
			out = append(out, v)
			return err
		})
		return out, err
	case c == 't' || c == 'f':
		return d.boolean()
	case c == 'n':
		if d.literal("null") {
			return nil, nil
		}
		return nil, d.syntaxError("invalid literal")
	default:
		return d.float(64)
	}
}

// object reads an object into a map, rejecting names equal exactly or under folding.
func (d *decoder) object() (map[string]any, error) {
	if err := d.openObject(); err != nil {
		return nil, err
	}
	m := make(map[string]any)
	var names objectNames
	for n := 0; ; n++ {
		name, ok, err := d.member(n)
		if err != nil {
			return nil, err
		}
		if !ok {
			names.set.release()
			return m, nil
		}
		if _, dup := names.other(d, nil, name); dup {
			return nil, d.duplicateError()
		}
		if m[name], err = d.anyValue(); err != nil {
			return nil, err
		}
	}
}

// float reads a number that must fit a float of the given size.
func (d *decoder) float(bits int) (float64, error) {
	start := d.i
	num, err := d.number()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(num, bits)
	if err != nil {
		d.i = start
		return 0, d.syntaxError("number out of range")
	}
	return f, nil
}

// value reads the next value for field f into v, a settable value of the field's type, or
// only checks that it fits the field when v is not valid (for the kinds of a flat plan).
func (d *decoder) value(v reflect.Value, f *field) error {
	k, store := f.kind, v.IsValid()
	if k != kindNumericDate && d.literal("null") {
		// encoding/json leaves the field as it is, which in a fresh or zeroed value is zero;
		// fill relies on null storing a zero.
		if store {
			v.SetZero()
		}
		return nil
	}
	start := d.i
	switch k {
	case kindString:
		s, err := d.str()
		if err != nil {
			return err
		}
		if store {
			v.SetString(s)
		}
	case kindBool:
		b, err := d.boolean()
		if err != nil {
			return err
		}
		if store {
			v.SetBool(b)
		}
	case kindInt:
		num, err := d.number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(num, 10, f.typ.Bits())
		if err != nil {
			d.i = start
			return d.syntaxError("number is not an integer in range")
		}
		if store {
			v.SetInt(n)
		}
	case kindUint:
		num, err := d.number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseUint(num, 10, f.typ.Bits())
		if err != nil {
			d.i = start
			return d.syntaxError("number is not an unsigned integer in range")
		}
		if store {
			v.SetUint(n)
		}
	case kindFloat:
		x, err := d.float(f.typ.Bits())
		if err != nil {
			return err
		}
		if store {
			v.SetFloat(x)
		}
	case kindStrings, kindAudience:
		if !store {
			return d.checkStrings(k == kindAudience)
		}
		var ss []string
		var err error
		if k == kindAudience {
			ss, err = d.audience()
		} else {
			ss, err = d.strings()
		}
		if err != nil {
			return err
		}
		switch p := v.Addr().Interface().(type) {
		case *[]string:
			*p = ss
		case *Audience:
			*p = ss
		default:
			v.Set(reflect.ValueOf(ss).Convert(v.Type()))
		}
	case kindNumericDate:
		nd, ok := d.plainDate()
		if !ok {
			num, err := d.number()
			if err != nil {
				return errNumericDate
			}
			if nd, err = parseNumericDate(num); err != nil {
				return err
			}
		}
		if store {
			*v.Addr().Interface().(*NumericDate) = nd
		}
	case kindAny:
		a, err := d.anyValue()
		if err != nil {
			return err
		}
		if store && a != nil {
			v.Set(reflect.ValueOf(a))
		}
	case kindMap:
		if d.i >= len(d.s) || d.s[d.i] != '{' {
			return d.syntaxError("expected an object")
		}
		m, err := d.object()
		if err != nil {
			return err
		}
		if store {
			*v.Addr().Interface().(*map[string]any) = m
		}
	default: // kindOther: check strictly here, then let encoding/json fill the value.
		blank, err := d.checkBound(f.typ, nil)
		if err != nil {
			return err
		}
		if !store {
			// Only flat plans check without storing, and they have no such field.
			return d.syntaxError("internal error: field cannot be checked without storing it")
		}
		if err := json.Unmarshal(blankNames(d.s[start:d.i], start, blank), v.Addr().Interface()); err != nil {
			d.i = start
			return d.syntaxError("value does not fit the destination type")
		}
	}
	return nil
}

// registered names the seven registered claims, in the order of their bits in a member mask.
var registered = [...]string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

// registeredIndex returns the position of name in registered, or -1.
func registeredIndex(name string) int {
	switch name {
	case "iss":
		return 0
	case "sub":
		return 1
	case "aud":
		return 2
	case "exp":
		return 3
	case "nbf":
		return 4
	case "iat":
		return 5
	case "jti":
		return 6
	}
	return -1
}

// claim reads the value of registered claim r into c, with the types RFC 7519 §4.1 requires.
func (d *decoder) claim(r int, c *Claims) error {
	start := d.i
	var err error
	switch r {
	case 0:
		c.Issuer, err = d.str()
	case 1:
		c.Subject, err = d.str()
	case 2:
		c.Audience, err = d.audience()
	case 3, 4, 5:
		nd, ok := d.plainDate()
		if ok {
			c.setDate(r, nd)
			return nil
		}
		var num string
		if num, err = d.number(); err != nil {
			return &jsonError{off: d.i, msg: registered[r] + ": " + errNumericDate.msg}
		}
		if nd, err = parseNumericDate(num); err != nil {
			return &jsonError{off: d.i, msg: registered[r] + ": " + errNumericDate.msg}
		}
		c.setDate(r, nd)
	case 6:
		c.ID, err = d.str()
	}
	if err != nil {
		return d.valueError(registered[r], claimType(r), start, err)
	}
	return nil
}

// valueError is the error of member name, whose value starts at start and must be a want:
// "name must be a want" for a value of another JSON type, and for a string that could not
// be read (invalid UTF-8, a bad escape, no closing quote) the reader's cause err, which is
// found past start.
func (d *decoder) valueError(name, want string, start int, err error) error {
	if e, ok := err.(*jsonError); ok && e.off > start {
		return &jsonError{off: e.off, msg: name + ": " + e.msg}
	}
	return &jsonError{off: d.i, msg: name + " must be a " + want}
}

// plainDate reads a date written as a plain integer of at most 18 digits, as nearly every
// token writes it, in one pass; it reports false, consuming nothing, for anything else.
func (d *decoder) plainDate() (NumericDate, bool) {
	s, i := d.s, d.i
	end := min(len(s), i+18)
	var sec int64
	j := i
	if len(s)-i >= 8 {
		if v, ok := digits8(s[i : i+8]); ok {
			sec, j = int64(v), i+8
		}
	}
	for ; j < end && s[j]-'0' <= 9; j++ {
		sec = sec*10 + int64(s[j]-'0')
	}
	switch {
	case j == i, s[i] == '0' && j > i+1:
		return NumericDate{}, false
	case j < len(s):
		if c := s[j]; c == '.' || c == 'e' || c == 'E' || c-'0' <= 9 {
			return NumericDate{}, false
		}
	}
	d.i = j
	return NumericDate{sec: sec, set: true}, true
}

// digits8 returns the value of t when its eight bytes are all decimal digits, computed on
// the bytes as one word (four digits per step, then two, then one, in parallel).
func digits8(t string) (uint64, bool) {
	t = t[:8]
	w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
		uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
	// Every byte is '0'..'9' iff its high nibble is 3 both as is and after adding 6.
	const hi, lo = 0xf0f0f0f0f0f0f0f0, 0x0f0f0f0f0f0f0f0f
	if w&hi|(w+0x0606060606060606)&hi>>4 != 0x3333333333333333 {
		return 0, false
	}
	w &= lo                                             // digit values, the first in the low byte
	w = w * (10<<8 + 1) >> 8 & 0x00ff00ff00ff00ff       // pairs
	w = w * (100<<16 + 1) >> 16 & 0x0000ffff0000ffff    // groups of four
	return w * (10000<<32 + 1) >> 32 & 0xffffffff, true // all eight
}

// setDate stores the date claim r (3, 4 or 5: exp, nbf, iat).
func (c *Claims) setDate(r int, nd NumericDate) {
	switch r {
	case 3:
		c.ExpiresAt = nd
	case 4:
		c.NotBefore = nd
	default:
		c.IssuedAt = nd
	}
}

// date returns the date claim r (3, 4 or 5: exp, nbf, iat).
func (c *Claims) date(r int) NumericDate {
	switch r {
	case 3:
		return c.ExpiresAt
	case 4:
		return c.NotBefore
	}
	return c.IssuedAt
}

// text returns the string claim r (0, 1 or 6: iss, sub, jti), or for aud (2) its only
// element or "" when it has none; ok is false for aud with several elements and for dates.
func (c *Claims) text(r int) (string, bool) {
	switch r {
	case 0:
		return c.Issuer, true
	case 1:
		return c.Subject, true
	case 2:
		switch len(c.Audience) {
		case 0:
			return "", true
		case 1:
			return c.Audience[0], true
		}
	case 6:
		return c.ID, true
	}
	return "", false
}

func claimType(r int) string {
	if r == 2 {
		return "string or an array of strings"
	}
	return "string"
}

// claimsMap reads a claims set into a new map, and the registered claims into c.
func (d *decoder) claimsMap(c *Claims) (map[string]any, error) {
	var m map[string]any
	_, _, err := d.claimsSet(reflect.ValueOf(&m).Elem(), nil, c, intoMap, nil)
	return m, err
}

// pending is a member that claimsSet checked against a flat plan without storing it: the
// field it belongs to and where its value starts. fill stores it once the claims passed.
type pending struct{ field, off int }

// readMode says what claimsSet does with the members of a claims set.
type readMode uint8

const (
	// checkOnly reads the registered claims into c and checks the rest. With a plan, it also
	// returns the offsets of the member names that encoding/json, which then fills the
	// destination, would bind by folding alone (a type with its own UnmarshalJSON is given
	// the same text, as it most often hands it to encoding/json on a method-less copy).
	checkOnly  readMode = iota
	intoMap             // every member into a new map[string]any stored at dst
	intoTape            // the fields of a flat plan checked and recorded for fill
	intoStruct          // the fields stored into dst, a new struct value
)

// claimsPlan is the plan of Claims: it names the registered claims when the destination has
// no plan of its own.
var claimsPlan = planFor(claimsType)

// claimsSet reads a claims set: the registered claims into c, strictly, and the other
// members as mode says, into dst (an addressable struct or map[string]any value) or into
// tape, which it returns grown. It also returns, for checkOnly, the offsets of the names to
// blank (see blankNames) before encoding/json reads the text into a value of p's type.
//
// A member binds to a field of p only by its exact name. Two members whose names are equal
// under folding are refused, as encoding/json would fill one field from both; a member that
// equals a field's name only under folding is a private claim, which the struct does not hold.
//
// With intoTape, dst is not written: each member of the flat plan p is checked against its
// field and recorded, and fill stores them later. This lets Decode write into the caller's
// value only after every check passed, without decoding into a fresh value first.
func (d *decoder) claimsSet(dst reflect.Value, p *plan, c *Claims, mode readMode, tape []pending) ([]pending, []int, error) {
	if err := d.openObject(); err != nil {
		return tape, nil, err
	}
	var m map[string]any
	if mode == intoMap {
		m = make(map[string]any)
	}
	// g is the plan whose member names are expected next, in the order the writer emits
	// them: a member spelled exactly as expected is recognised without a lookup. Its fold
	// classes find members equal under folding.
	g := p
	if g == nil {
		g = claimsPlan
	}
	blanking := mode == checkOnly && p != nil
	var blank []int
	var names objectNames
	next := 0
	for n := 0; ; n++ {
		var err error
		var name string
		gi := -1 // index of the member's field in g.fields
		if next < len(g.fields) && d.expectedName(n, &g.fields[next]) {
			gi = next
			name = g.fields[gi].name
		} else {
			var ok bool
			if name, ok = d.compactName(n); !ok {
				if name, ok, err = d.member(n); err != nil {
					return tape, nil, err
				}
				if !ok {
					break
				}
			}
			gi = g.lookup(name)
		}
		var r int
		folds := false // the name equals a field's of g under folding alone
		if gi >= 0 {
			next = gi + 1
			r = g.fields[gi].reg
			if names.field(d, &g.fields[gi]) {
				return tape, nil, d.duplicateError()
			}
		} else {
			r = registeredIndex(name)
			k, dup := names.other(d, g, name)
			if dup {
				return tape, nil, d.duplicateError()
			}
			folds = k >= 0
		}
		if folds && blanking {
			blank = append(blank, d.nameOff)
		}
		start := d.i
		if d.required != nil {
			d.compareRequired(name, start)
		}
		if r >= 0 {
			if err := d.claim(r, c); err != nil {
				return tape, nil, err
			}
			if m != nil {
				again := decoder{s: d.s[:d.i], i: start}
				m[name], _ = again.anyValue() // already checked by claim
				continue
			}
			if gi < 0 || p == nil || p.claims != nil || mode == checkOnly {
				// No field of that name, or the embedded Claims gets c as a whole, or
				// encoding/json reads it (and checkDelivered compares).
				continue
			}
			d.i = start // the field reads the value again
		}
		if m != nil {
			if m[name], err = d.anyValue(); err != nil {
				return tape, nil, err
			}
			continue
		}
		if gi < 0 || p == nil {
			if err := d.skipValue(); err != nil {
				return tape, nil, err
			}
			continue
		}
		fl := &p.fields[gi]
		switch mode {
		case intoTape:
			tape = append(tape, pending{field: gi, off: start})
			err = d.value(reflect.Value{}, fl) // only checks
		case intoStruct:
			var fv reflect.Value
			if fv, err = fieldByIndex(dst, fl.index); err == nil {
				err = d.value(fv, fl)
			}
		default:
			if blanking {
				blank, err = d.checkBound(fl.typ, blank)
			} else {
				err = d.skipValue()
			}
		}
		if err != nil {
			return tape, nil, err
		}
	}
	names.set.release()
	if m != nil {
		*dst.Addr().Interface().(*map[string]any) = m
	}
	if mode == intoStruct && p.claims != nil {
		return tape, nil, setClaims(dst, p, c)
	}
	return tape, blank, nil
}

// compareRequired compares the member of the claims set named name, whose value starts at
// off, with the value d.required gives that name, if any (see decoder.required). The value
// is read again by the caller, which refuses it if it is not valid JSON.
func (d *decoder) compareRequired(name string, off int) {
	want, ok := d.required[name]
	if !ok {
		return
	}
	again := decoder{s: d.s, i: off}
	again.skipSpace()
	if got, err := again.str(); err == nil && got == want {
		d.matched++
	} else if d.wrong == "" {
		d.wrong = name
	}
}

// topNames returns the names of the members of the claims set d read, which it read without
// error.
func (d *decoder) topNames() map[string]struct{} {
	names := make(map[string]struct{})
	again := decoder{s: d.s}
	if again.openObject() != nil {
		return names
	}
	for n := 0; ; n++ {
		name, ok, err := again.member(n)
		if err != nil || !ok || again.skipValue() != nil {
			return names
		}
		names[name] = struct{}{}
	}
}

// objectNames finds, in one object, two members whose names are equal exactly or under
// folding: those named as a field of a plan, or equal to one under folding, by the fold
// class of the field; the others in a memberSet. The writer uses it too, on the objects it
// writes (see jsonwrite.go), with the names it writes as their source.
type objectNames struct {
	classes uint64 // bit k: a member of fold class k (k < 64) was read
	set     memberSet
}

// field records a member named exactly as f, whose name was just read, and reports whether
// the object already had a member equal to it under folding.
func (o *objectNames) field(d *decoder, f *field) bool {
	return o.fieldFrom(nameSource{d: d}, d.nameOff, f)
}

// fieldFrom is field for a name that src gives back from ref.
func (o *objectNames) fieldFrom(src nameSource, ref int, f *field) bool {
	if f.class >= 64 {
		return o.set.add(src, ref, f.name, f.foldHash)
	}
	bit := uint64(1) << f.class
	dup := o.classes&bit != 0
	o.classes |= bit
	return dup
}

// other records a member whose name was just read and is no field's of g (nil for none). It
// returns the fold class of the fields of g that the name equals under folding, or -1, and
// whether the object already had a member equal to it under folding.
func (o *objectNames) other(d *decoder, g *plan, name string) (int, bool) {
	h := foldHash(name)
	k := -1
	if g != nil {
		k = g.foldClass(name, h)
	}
	if k < 0 || k >= 64 {
		return k, o.set.add(nameSource{d: d}, d.nameOff, name, h)
	}
	bit := uint64(1) << k
	dup := o.classes&bit != 0
	o.classes |= bit
	return k, dup
}

// otherFrom records a member of an object without a plan, named name, that src gives back
// from ref, and reports whether the object already had a member equal to it under folding.
func (o *objectNames) otherFrom(src nameSource, ref int, name string) bool {
	return o.set.add(src, ref, name, foldHash(name))
}

// checkBound checks the next value as skipValue does, for a value of type t that
// encoding/json then fills, and appends to blank the offsets of the member names that
// encoding/json would bind to a struct field by folding alone, at any depth where it binds
// names to fields: in structs, and in the pointers, slices, arrays and map values leading
// to them. It goes by the shape of the types, also where a type has its own UnmarshalJSON,
// which most often hands the text to encoding/json on a method-less copy of itself.
func (d *decoder) checkBound(t reflect.Type, blank []int) ([]int, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if d.i >= len(d.s) {
		return blank, d.skipValue()
	}
	c := d.s[d.i]
	switch k := t.Kind(); {
	case c == '{' && (k == reflect.Struct || k == reflect.Map):
		if err := d.openObject(); err != nil {
			return blank, err
		}
		var p *plan
		if k == reflect.Struct {
			p = planFor(t)
		}
		var names objectNames
		for n := 0; ; n++ {
			name, ok, err := d.member(n)
			if err != nil {
				return blank, err
			}
			if !ok {
				names.set.release()
				return blank, nil
			}
			elem := t // for a struct, the type of the member's field, or nil
			if p == nil {
				elem = t.Elem()
				_, ok = names.other(d, nil, name)
			} else if gi := p.lookup(name); gi >= 0 {
				elem = p.fields[gi].typ
				ok = names.field(d, &p.fields[gi])
			} else {
				elem = nil
				var fold int
				fold, ok = names.other(d, p, name)
				if fold >= 0 {
					blank = append(blank, d.nameOff)
				}
			}
			if ok {
				return blank, d.duplicateError()
			}
			if elem == nil {
				err = d.skipValue()
			} else {
				blank, err = d.checkBound(elem, blank)
			}
			if err != nil {
				return blank, err
			}
		}
	case c == '[' && (k == reflect.Slice || k == reflect.Array):
		elem := t.Elem()
		err := d.array(func() error {
			var err error
			blank, err = d.checkBound(elem, blank)
			return err
		})
		return blank, err
	}
	return blank, d.skipValue()
}

// blankNames returns s, the text at offset base of what the decoder read, with each member
// name whose opening quote is at one of the offsets (in increasing order) replaced by "", a
// name no struct field has. It returns s itself, as bytes, when there are none.
func blankNames(s string, base int, offs []int) []byte {
	if len(offs) == 0 {
		return []byte(s)
	}
	b := make([]byte, 0, len(s))
	last := 0
	for _, off := range offs {
		d := decoder{s: s, i: off - base}
		b = append(b, s[last:d.i]...)
		d.str() // read once already
		b = append(b, `""`...)
		last = d.i
	}
	return append(b, s[last:]...)
}

// checkDelivered reports whether the fields of v, a struct value of plan p that encoding/json
// or the type's own UnmarshalJSON filled, hold the registered claims that were checked, c:
// each field named as a registered claim that is a string, a slice of strings or a
// NumericDate must hold the claim or be left zero.
func checkDelivered(v reflect.Value, p *plan, c *Claims) bool {
	for i := range p.fields {
		f := &p.fields[i]
		if f.reg < 0 {
			continue
		}
		fv, ok := fieldForRead(v, f.index)
		if !ok || fv.IsZero() {
			continue // behind a nil pointer, or left zero: nothing delivered
		}
		switch {
		case fv.Type() == numericDateType:
			if f.reg < 3 || f.reg > 5 || fv.Interface().(NumericDate) != c.date(f.reg) {
				return false
			}
		case fv.Kind() == reflect.String:
			if want, ok := c.text(f.reg); !ok || fv.String() != want {
				return false
			}
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			if f.reg != 2 || fv.Len() != len(c.Audience) {
				return false
			}
			for j := range c.Audience {
				if fv.Index(j).String() != c.Audience[j] {
					return false
				}
			}
		}
	}
	return true
}

// setClaims stores c in the embedded Claims of dst. An embedded *Claims that is nil is
// allocated when c holds a claim, as encoding/json would allocate it for a member.
func setClaims(dst reflect.Value, p *plan, c *Claims) error {
	cv, err := fieldByIndex(dst, p.claims)
	if err != nil {
		return err
	}
	if cv.Kind() == reflect.Pointer {
		if cv.IsNil() {
			if reflect.ValueOf(c).Elem().IsZero() {
				return nil
			}
			cv.Set(reflect.New(claimsType))
		}
		cv = cv.Elem()
	}
	*cv.Addr().Interface().(*Claims) = *c
	return nil
}

// fill stores what claimsSet recorded in tape, and c, into dst, a settable struct value of
// the flat plan p that claimsSet read d.s with. Every field that is not stored is zeroed, so
// dst ends up holding exactly the claims set, as a fresh value would. The values were
// checked by claimsSet, so reading them again cannot fail; an error here is a bug, reported
// rather than risked as a panic.
func (d *decoder) fill(dst reflect.Value, p *plan, c *Claims, tape []pending) error {
	if p.zeroByField {
		// Zero only the top-level fields that nothing below overwrites.
		var stored uint64
		for _, e := range tape {
			if ix := p.fields[e.field].index; len(ix) == 1 {
				stored |= 1 << ix[0]
			}
		}
		if len(p.claims) == 1 {
			stored |= 1 << p.claims[0]
		}
		for i := 0; i < p.topFields; i++ {
			if stored&(1<<i) == 0 {
				dst.Field(i).SetZero()
			}
		}
	} else {
		dst.SetZero()
	}
	for _, e := range tape {
		fl := &p.fields[e.field]
		fv, err := fieldByIndex(dst, fl.index)
		if err != nil {
			return err
		}
		d.i = e.off
		if err := d.value(fv, fl); err != nil {
			return err
		}
	}
	if p.claims != nil {
		return setClaims(dst, p, c)
	}
	return nil
}
