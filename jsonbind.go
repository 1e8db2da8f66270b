package jwt

// The binder of the strict JSON reader: what it knows about Go types and the claims. A plan
// (built once per struct type, the way encoding/json resolves fields) names the JSON members
// of a struct; claimsSet reads a claims set member by member with the scanner
// (jsonscan.go), the registered claims always into a Claims with the types RFC 7519 §4.1
// requires, and the other members as the destination needs: into a map, into a fresh struct,
// recorded on a tape for fill (which then writes the caller's value in place, after every
// check passed), or only checked when encoding/json fills the destination.
//
// Names bind exactly. Where encoding/json still fills a value (types with their own methods,
// ",string" fields, other kinds), it is given the text with every member name that it would
// bind to a field only by folding replaced by "" (see blankNames), so that it binds exactly
// the members the reader does; and checkDelivered compares what it stored under a
// registered name with the claims that were checked.

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// kind says how the JSON reader and writer handle a field.
type kind uint8

// The kinds. The reader handles every kind but kindOther itself; a field of kindOther is
// checked strictly by the reader (checkBound) and then filled by encoding/json. The writer
// writes kindOther and kindSliceOf as encoding/json writes them (appendOther), the others
// itself.
const (
	kindOther       kind = iota // anything else: checked strictly, then encoding/json
	kindString                  // string kinds
	kindBool                    // bool kinds
	kindInt                     // signed integer kinds
	kindUint                    // unsigned integer kinds (not uintptr)
	kindFloat                   // float32, float64
	kindStrings                 // slices of plain strings
	kindAudience                // Audience
	kindNumericDate             // NumericDate
	kindAny                     // interface{}
	kindMap                     // map[string]any
	// kindStruct is a struct type without JSON or text methods of its own, read and written
	// member by member through its plan (unless that plan is custom, for a ",string" field
	// inside: encoding/json then reads and writes it); kindMapOf is a map type with keys of
	// type string itself, other than map[string]any itself (kindMap), whose values are read
	// as fields of the map's value type.
	kindStruct
	kindMapOf
	// kindSliceOf is any other slice type but one of bytes (or of a byte kind), whose
	// elements are read as fields of the element type.
	kindSliceOf
)

// The types the plans single out, compared by identity: a named type with Audience or
// NumericDate as its underlying type is not one of them.
var (
	claimsType      = reflect.TypeFor[Claims]()
	audienceType    = reflect.TypeFor[Audience]()
	numericDateType = reflect.TypeFor[NumericDate]()
	mapType         = reflect.TypeFor[map[string]any]()
	numberType      = reflect.TypeFor[json.Number]()
	stringType      = reflect.TypeFor[string]()
	marshalerType   = reflect.TypeFor[json.Marshaler]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// numericDateSec, numericDateNsec and numericDateSet are the positions of NumericDate's
// fields, found by name once, so that reordering them cannot make reflection read another.
var (
	numericDateSec  = fieldPosition(numericDateType, "sec")
	numericDateNsec = fieldPosition(numericDateType, "nsec")
	numericDateSet  = fieldPosition(numericDateType, "set")
)

// fieldPosition returns the index of the direct field called name of struct type t. It
// panics when there is none: a bug of this package, found by any test.
func fieldPosition(t reflect.Type, name string) int {
	f, ok := t.FieldByName(name)
	if !ok || len(f.Index) != 1 {
		panic("jwt: internal error: " + t.String() + " has no field " + name)
	}
	return f.Index[0]
}

// dateOf returns the NumericDate that v, a value of that type, holds. It reads the fields
// one by one: v.Interface() would copy an addressable value to the heap.
func dateOf(v reflect.Value) NumericDate {
	return NumericDate{
		sec:  v.Field(numericDateSec).Int(),
		nsec: int32(v.Field(numericDateNsec).Int()),
		set:  v.Field(numericDateSet).Bool(),
	}
}

// field is one JSON member of a struct type.
type field struct {
	name      string
	quoted    string // `"name":` as the writer emits it
	index     []int  // path from the top struct, through embedded structs
	typ       reflect.Type
	kind      kind
	omitEmpty bool
	omitZero  bool
	tagged    bool
	inClaims  bool // a field of the embedded Claims at plan.claims
	reg       int  // registeredIndex(name): claimIss … claimJti, or -1
	// class numbers the fields whose names are equal under folding (see fold.go): fields in
	// one class are filled by encoding/json from the same members, so the reader lets an
	// object name at most one class member.
	class int
	// foldShared is set when another field of the plan is in the same fold class: the
	// writer then refuses to write both (see appendStruct).
	foldShared bool
	// head8 holds the first (up to) eight bytes of quoted, little-endian, and mask8 the
	// bits of a word they fill, for the reader's one-word name check (expectedName).
	head8, mask8 uint64
	// sub is the plan of the field's type for kindStruct when no embedded pointer is on the
	// field's path (see buildPlan), nil otherwise.
	sub *plan
}

// plan is what the reader and writer know about a struct type, built once per type.
type plan struct {
	t      reflect.Type
	fields []field
	// claims is the path to an embedded Claims whose fields carry all seven registered
	// names; the reader then fills it as a whole. nil otherwise.
	claims []int
	// firstClaim is the index in fields of the first field of that Claims, or -1.
	firstClaim int
	// custom is set when the type has its own JSON or text methods, or a field with the
	// ",string" option: encoding/json then reads and writes it, after the strict checks.
	custom bool
	// flat is set when the type is not custom, every field is a string, bool, number,
	// string slice, Audience or NumericDate, and none sits behind an embedded pointer.
	// Storing members that were checked cannot fail for such a type, so Decode checks the
	// whole claims set first and then fills the destination in place (decoder.fill)
	// instead of decoding into a new value and copying it.
	flat bool
	// topFields is the number of fields of the struct itself, and zeroByField is set when
	// all of them are exported and there are at most 64: fill then zeroes just the ones it
	// does not store instead of the whole value.
	topFields   int
	zeroByField bool
	// checkDelivered is set when encoding/json, or the type's own UnmarshalJSON, fills a
	// field with a registered name (the type is custom, or such a field is of kind
	// kindOther): Decode then compares what was stored with the claims it checked.
	checkDelivered bool
	// classFirst holds, for each fold class of fields, the index of its first field; byFold
	// maps the fold hash of a class to its number, and foldBits has bit s%64 set for the
	// foldSig s of every class, so that most names that fold to no field are told apart
	// without hashing them.
	classFirst []int
	byFold     map[uint64]int
	foldBits   uint64
	// foldShared is set when some fold class has more than one field, and names then holds
	// the name of each field, as the writer's nameSource.
	foldShared bool
	names      []string
	// byShape maps the nameShape of a name to the index of the only field whose name has
	// that shape, or to shapeNone or shapeShared; nil for a plan without fields.
	byShape *[256]int16
}

// foldClass returns the fold class of the fields whose names equal name under folding, or
// -1.
func (p *plan) foldClass(name string) int {
	if p.foldBits&(1<<(foldSig(name)%64)) == 0 {
		return -1
	}
	if k, ok := p.byFold[foldHash(name)]; ok && sameFold(p.fields[p.classFirst[k]].name, name) {
		return k
	}
	return -1
}

// lookup returns the index of the field named name (exact match), or -1.
func (p *plan) lookup(name string) int {
	if name != "" && p.byShape != nil {
		switch i := p.byShape[nameShape(name)]; {
		case i == shapeNone:
			return -1
		case i >= 0:
			if p.fields[i].name == name {
				return int(i)
			}
			return -1
		}
	}
	for i := range p.fields {
		if f := &p.fields[i]; len(f.name) == len(name) && f.name == name {
			return i
		}
	}
	return -1
}

// The entries of plan.byShape besides a field index.
const (
	shapeNone   = -1 // no field has a name of that shape
	shapeShared = -2 // more than one has: look them up one by one
)

// nameShape hashes a non-empty name by its length and its first and last bytes: enough to
// tell the names of most structs apart (a token another library wrote names its members in
// another order than the writer, and each is then looked up).
func nameShape(name string) uint8 {
	return uint8(len(name)*61 + int(name[0])*7 + int(name[len(name)-1]))
}

// shapeIndex builds plan.byShape, when the plan has fields.
func shapeIndex(p *plan) {
	if len(p.fields) == 0 {
		return
	}
	p.byShape = new([256]int16)
	for i := range p.byShape {
		p.byShape[i] = shapeNone
	}
	for i := range p.fields {
		if p.fields[i].name == "" {
			continue // looked up one by one, as "" has no shape
		}
		switch h := nameShape(p.fields[i].name); {
		case p.byShape[h] == shapeNone && i <= math.MaxInt16:
			p.byShape[h] = int16(i)
		default:
			p.byShape[h] = shapeShared
		}
	}
}

// plans caches the plan of each struct type read or written: reflect.Type -> *plan. Plans
// are never changed once stored, so readers share them without locks.
var plans sync.Map

// planFor returns the plan of struct type t.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

// kindOf returns the kind of a field or value of type t. Audience and NumericDate, whose
// methods the reader and writer reproduce, come first; any other type with its own JSON or
// text methods is kindOther whatever its underlying type, as only encoding/json calls them.
func kindOf(t reflect.Type) kind {
	switch t {
	case audienceType:
		return kindAudience
	case numericDateType:
		return kindNumericDate
	case mapType:
		return kindMap
	case numberType:
		// A string type that encoding/json writes and reads as a number: the writer writes
		// it (appendNumber), the reader leaves it to encoding/json.
		return kindOther
	}
	if hasCustomJSON(t) {
		return kindOther
	}
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Bool:
		return kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return kindUint
	case reflect.Float32, reflect.Float64:
		return kindFloat
	case reflect.Slice:
		// Only slices of string itself: the reader converts a []string to the field's type,
		// which Go allows for `type roles []string` but not for []Role with `type Role string`.
		if t.Elem() == stringType {
			return kindStrings
		}
		if t.Elem().Kind() != reflect.Uint8 { // []byte is base64 text to encoding/json
			return kindSliceOf
		}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return kindAny
		}
	case reflect.Struct:
		return kindStruct
	case reflect.Map:
		if t.Key() == stringType {
			return kindMapOf
		}
	}
	return kindOther
}

// hasCustomJSON reports whether t or *t has its own JSON or text encoding methods, which
// only encoding/json knows how to call.
func hasCustomJSON(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	for _, i := range []reflect.Type{marshalerType, unmarshalerType, textMarshaler, textUnmarshaler} {
		if t.Implements(i) || p.Implements(i) {
			return true
		}
	}
	return false
}

// buildPlan resolves the JSON members of struct type t the way encoding/json does (see
// structFields and dominantFields), then works out once what the reader and writer need per
// field and for the type as a whole.
func buildPlan(t reflect.Type) *plan {
	all, quotedOption := structFields(t)
	p := &plan{t: t, fields: dominantFields(all), custom: hasCustomJSON(t) || quotedOption}
	for i := range p.fields {
		f := &p.fields[i]
		q, _ := appendString(nil, f.name)
		f.quoted = string(append(q, ':'))
		f.reg = registeredIndex(f.name)
		for j := 0; j < len(f.quoted) && j < 8; j++ {
			f.head8 |= uint64(f.quoted[j]) << (8 * j)
			f.mask8 |= 0xff << (8 * j)
		}
		if f.kind == kindStruct && !behindPointer(t, f.index) {
			// Without an embedded pointer on the way, f's type cannot hold t again, so its
			// plan is built now; through one it can (T embeds *U, U holds a T), and
			// structValue then looks the plan up when it reads such a field.
			f.sub = planFor(f.typ)
		}
	}
	p.checkDelivered = p.custom
	for i := range p.fields {
		if f := &p.fields[i]; f.reg >= 0 && f.kind == kindOther {
			p.checkDelivered = true
		}
	}
	foldClasses(p)
	markFoldShared(p)
	shapeIndex(p)
	p.flat = !p.custom
	for i := range p.fields {
		if f := &p.fields[i]; !flatKind(f.kind) || behindPointer(t, f.index) {
			p.flat = false
		}
	}
	// fill zeroes the top-level fields it does not store by a bit mask of them (uint64),
	// so only for at most 64 fields, all exported (SetZero on an unexported one panics).
	p.topFields = t.NumField()
	p.zeroByField = p.topFields <= 64
	for i := range p.topFields {
		if !t.Field(i).IsExported() {
			p.zeroByField = false
		}
	}
	p.claims = embeddedClaims(t, p)
	p.firstClaim = -1
	if p.claims != nil {
		for _, name := range registered {
			i := p.lookup(name)
			p.fields[i].inClaims = true
			if p.firstClaim < 0 || i < p.firstClaim {
				p.firstClaim = i
			}
		}
	}
	return p
}

// structFields returns every field encoding/json would consider for a JSON member of struct
// type t, breadth first: exported fields with their json tags, and the fields of embedded
// structs without a tag name in place of the embedded field. It also reports whether a field
// has the ",string" option.
func structFields(t reflect.Type) (all []field, quotedOption bool) {
	type queued struct {
		t     reflect.Type
		index []int
	}
	next := []queued{{t: t}}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		for _, q := range current {
			if visited[q.t] {
				continue
			}
			visited[q.t] = true
			for i := 0; i < q.t.NumField(); i++ {
				sf := q.t.Field(i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(slices.Clip(q.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, queued{t: ft, index: index})
					continue
				}
				f := field{
					name:   name,
					index:  index,
					typ:    sf.Type,
					kind:   kindOf(sf.Type),
					tagged: name != "",
				}
				if f.name == "" {
					f.name = sf.Name
				}
				for opts != "" {
					var o string
					o, opts, _ = strings.Cut(opts, ",")
					switch o {
					case "omitempty":
						f.omitEmpty = true
					case "omitzero":
						f.omitZero = true
					case "string":
						// encoding/json's quoted values: it reads and writes the whole
						// type (see plan.custom).
						quotedOption = true
					}
				}
				all = append(all, f)
			}
		}
	}
	return all, quotedOption
}

// dominantFields keeps one field per name of all, as encoding/json does: the shallowest,
// a tagged one over an untagged one, and neither when that leaves a tie. It returns them in
// the order of their index paths, the order of the struct's fields, which is the order the
// writer emits members in and so the order the reader expects them in.
func dominantFields(all []field) []field {
	slices.SortStableFunc(all, func(a, b field) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if len(a.index) != len(b.index) {
			return len(a.index) - len(b.index)
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return 0
	})
	var fields []field
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		group := all[i:j]
		if len(group) == 1 || len(group[1].index) > len(group[0].index) || group[0].tagged && !group[1].tagged {
			fields = append(fields, group[0])
		}
		i = j
	}
	slices.SortFunc(fields, func(a, b field) int { return slices.Compare(a.index, b.index) })
	return fields
}

// foldClasses numbers the fold classes of the fields of p (see field.class) and fills
// p.classFirst, p.byFold and p.foldBits.
func foldClasses(p *plan) {
	p.byFold = make(map[uint64]int)
	for i := range p.fields {
		f := &p.fields[i]
		h := foldHash(f.name)
		k, ok := p.byFold[h]
		if !ok || !sameFold(p.fields[p.classFirst[k]].name, f.name) {
			// A new class. Should two classes share a 64-bit hash (never seen in practice),
			// byFold keeps the later one.
			k = len(p.classFirst)
			p.classFirst = append(p.classFirst, i)
			p.byFold[h] = k
		}
		f.class = k
		p.foldBits |= 1 << (foldSig(f.name) % 64)
	}
}

// markFoldShared sets foldShared on the fields of p whose fold class has another field, and
// on p when there is one.
func markFoldShared(p *plan) {
	size := make([]int, len(p.classFirst))
	for i := range p.fields {
		size[p.fields[i].class]++
	}
	for i := range p.fields {
		if f := &p.fields[i]; size[f.class] > 1 {
			f.foldShared, p.foldShared = true, true
		}
	}
	if p.foldShared {
		p.names = make([]string, len(p.fields))
		for i := range p.fields {
			p.names[i] = p.fields[i].name
		}
	}
}

// flatKind reports whether fields of kind k can be stored by decoder.fill.
func flatKind(k kind) bool {
	switch k {
	case kindString, kindBool, kindInt, kindUint, kindFloat, kindStrings, kindAudience, kindNumericDate:
		return true
	}
	return false
}

// behindPointer reports whether the field at path in struct type t is reached through an
// embedded pointer.
func behindPointer(t reflect.Type, path []int) bool {
	for _, i := range path[:len(path)-1] {
		if t = t.Field(i).Type; t.Kind() == reflect.Pointer {
			return true
		}
	}
	return false
}

// embeddedClaims returns the path to the Claims struct that owns all seven registered names
// of p, or nil.
func embeddedClaims(t reflect.Type, p *plan) []int {
	if t == claimsType {
		return []int{}
	}
	var path []int
	for _, name := range registered {
		i := p.lookup(name)
		if i < 0 {
			return nil
		}
		f := &p.fields[i]
		parent := f.index[:len(f.index)-1]
		if len(parent) == 0 || structAt(t, parent) != claimsType {
			return nil
		}
		if path == nil {
			path = parent
		} else if !slices.Equal(path, parent) {
			return nil
		}
	}
	return path
}

// structAt returns the struct type reached from t through the field path.
func structAt(t reflect.Type, path []int) reflect.Type {
	for _, i := range path {
		t = t.Field(i).Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	return t
}

// validTagName reports whether s is a name encoding/json accepts in a struct tag: letters,
// digits and the punctuation it allows. For any other tag name, encoding/json (and so the
// plan) uses the Go field name.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false // including the replacement for invalid UTF-8
		}
	}
	return true
}

// fieldByIndex returns the field of struct v at path, allocating embedded struct pointers
// that are nil on the way (v must be settable).
func fieldByIndex(v reflect.Value, path []int) (reflect.Value, error) {
	if len(path) == 1 {
		return v.Field(path[0]), nil
	}
	for k, i := range path {
		if k > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, &jsonError{msg: "embedded pointer to an unexported struct type"}
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, nil
}

// fieldForRead returns the field of struct v at path, or false when a nil embedded pointer
// is on the way (its fields are then absent).
func fieldForRead(v reflect.Value, path []int) (reflect.Value, bool) {
	for k, i := range path {
		if k > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, true
}

// nullable reports whether a field of kind k takes null, as encoding/json lets it: every kind
// but NumericDate and Audience, whose own UnmarshalJSON refuses null (encoding/json calls it
// for null too).
func nullable(k kind) bool {
	return k != kindNumericDate && k != kindAudience
}

// value reads the next value for field f into v, a settable value of the field's type.
func (d *decoder) value(v reflect.Value, f *field) error {
	if nullable(f.kind) && f.kind != kindOther && d.literal("null") {
		// (encoding/json reads null into a kindOther value itself: it calls UnmarshalJSON.)
		// encoding/json leaves the field as it is, which in a fresh or zeroed value is zero;
		// fill relies on null storing a zero.
		v.SetZero()
		return nil
	}
	switch f.kind {
	case kindString:
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetString(s)
	case kindBool:
		b, err := d.boolean()
		if err != nil {
			return err
		}
		v.SetBool(b)
	case kindInt:
		n, err := d.integer(f.typ.Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
	case kindUint:
		n, err := d.unsigned(f.typ.Bits())
		if err != nil {
			return err
		}
		v.SetUint(n)
	case kindFloat:
		x, err := d.float(f.typ.Bits())
		if err != nil {
			return err
		}
		v.SetFloat(x)
	case kindStrings, kindAudience:
		return d.stringsValue(v, f.kind == kindAudience, 0)
	case kindNumericDate:
		nd, err := d.date()
		if err != nil {
			return err
		}
		*v.Addr().Interface().(*NumericDate) = nd
	case kindAny:
		a, err := d.anyValue()
		if err != nil {
			return err
		}
		if a != nil {
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
		*v.Addr().Interface().(*map[string]any) = m
	case kindStruct:
		return d.structValue(v, f)
	case kindMapOf:
		return d.mapValue(v, f)
	case kindSliceOf:
		return d.sliceValue(v, f)
	default:
		return d.otherValue(v, f)
	}
	return nil
}

// sliceValue reads an array into v, a settable nil slice of f's type (kindSliceOf): each
// element read as a field of the element type into a slice grown as it goes; [] gives an
// empty slice, as with encoding/json.
func (d *decoder) sliceValue(v reflect.Value, f *field) error {
	if d.i >= len(d.s) || d.s[d.i] != '[' {
		return d.syntaxError("expected an array")
	}
	ef := elemField(f.typ.Elem())
	if err := d.openArray(); err != nil {
		return err
	}
	v.SetZero() // grown from nil, so no element but the ones read shows
	for n := 0; ; n++ {
		more, err := d.element(n)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		v.Grow(1)
		v.SetLen(n + 1)
		if err := d.value(v.Index(n), ef); err != nil {
			return err
		}
	}
	if v.IsNil() {
		v.Set(reflect.MakeSlice(f.typ, 0, 0))
	}
	return nil
}

// structValue reads an object into v, a settable zero value of f's struct type: each member
// into the field of its exact name, as claimsSet reads the claims set, and the members that
// name no field checked and skipped. A struct type whose plan is custom (a ",string" field)
// is left to otherValue.
func (d *decoder) structValue(v reflect.Value, f *field) error {
	p := f.sub
	if p == nil {
		p = planFor(f.typ)
	}
	if p.custom {
		return d.otherValue(v, f)
	}
	if err := d.openObject(); err != nil {
		return err
	}
	r := claimsReader{g: p}
	for {
		m, ok, err := r.member(d)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := d.memberValue(v, p, m.field); err != nil {
			return err
		}
	}
	r.names.set.release()
	return nil
}

// mapValue reads an object into v, a settable nil map of f's type (kindMapOf): a new map
// with each member stored under its name, its value read as a field of the map's value type.
func (d *decoder) mapValue(v reflect.Value, f *field) error {
	if err := d.openObject(); err != nil {
		return err
	}
	t := f.typ
	ef := elemField(t.Elem())
	out := reflect.MakeMap(t)
	// One key and one element value, set for each member: SetMapIndex copies them.
	kv := reflect.New(stringType).Elem()
	ev := reflect.New(t.Elem()).Elem()
	r := claimsReader{g: &noFields}
	for {
		m, ok, err := r.member(d)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		ev.SetZero()
		if err := d.value(ev, ef); err != nil {
			return err
		}
		kv.SetString(m.name)
		out.SetMapIndex(kv, ev)
	}
	r.names.set.release()
	v.Set(out)
	return nil
}

// noFields is the plan of an object whose members bind to no field: a map's.
var noFields plan

// elemFields caches elemField: reflect.Type -> *field.
var elemFields sync.Map

// elemField returns the field that describes the values of a map with value type t.
func elemField(t reflect.Type) *field {
	if f, ok := elemFields.Load(t); ok {
		return f.(*field)
	}
	ef := &field{typ: t, kind: kindOf(t), reg: -1}
	if ef.kind == kindStruct {
		ef.sub = planFor(t)
	}
	f, _ := elemFields.LoadOrStore(t, ef)
	return f.(*field)
}

// checkValue checks that the next value fits field f, of a kind a flat plan has (see
// flatKind), and steps over it, storing nothing: claimsIntoTape checks, and fill then reads
// the same value with value, which cannot fail on it.
// For an array of strings it also returns the number of strings, for fill to allocate.
func (d *decoder) checkValue(f *field) (n int, err error) {
	if nullable(f.kind) && d.literal("null") {
		return 0, nil
	}
	switch f.kind {
	case kindString:
		_, err = d.str()
	case kindBool:
		_, err = d.boolean()
	case kindInt:
		_, err = d.integer(f.typ.Bits())
	case kindUint:
		_, err = d.unsigned(f.typ.Bits())
	case kindFloat:
		_, err = d.float(f.typ.Bits())
	case kindStrings, kindAudience:
		n, err = d.checkStrings(f.kind == kindAudience)
	case kindNumericDate:
		_, err = d.date()
	default:
		// Only flat plans check without storing, and they have no such field.
		err = d.syntaxError("internal error: field cannot be checked without storing it")
	}
	return n, err
}

// stringsValue reads an array of strings, or for an Audience also a lone string, into v, a
// slice of a string type; n is the number of strings when known, else 0 (see strings).
func (d *decoder) stringsValue(v reflect.Value, aud bool, n int) error {
	var ss []string
	var err error
	if aud {
		ss, err = d.audience(n)
	} else {
		ss, err = d.strings(n, true)
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
	return nil
}

// otherValue checks the next value strictly for field f, of kind kindOther (or kindStruct
// with a custom plan), and then lets
// encoding/json read it into v, with the member names it would bind by folding alone
// blanked (see blankNames).
func (d *decoder) otherValue(v reflect.Value, f *field) error {
	start := d.i
	blank, err := d.checkBound(f.typ, nil)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(blankNames(d.s[start:d.i], start, blank), v.Addr().Interface()); err != nil {
		d.i = start
		return d.syntaxError("value does not fit the destination type")
	}
	return nil
}

// The registered claims of RFC 7519 §4.1, numbered in the order of Claims' fields, which is
// the order the writer emits them in and so the order the reader expects them in (see
// claimsSet). field.reg holds one of these, or -1 for a private claim.
const (
	claimIss = iota
	claimSub
	claimAud
	claimExp
	claimNbf
	claimIat
	claimJti
)

// registered names the seven registered claims, by their number.
var registered = [...]string{
	claimIss: "iss",
	claimSub: "sub",
	claimAud: "aud",
	claimExp: "exp",
	claimNbf: "nbf",
	claimIat: "iat",
	claimJti: "jti",
}

// registeredIndex returns the number of the registered claim called name, or -1.
func registeredIndex(name string) int {
	switch name {
	case "iss":
		return claimIss
	case "sub":
		return claimSub
	case "aud":
		return claimAud
	case "exp":
		return claimExp
	case "nbf":
		return claimNbf
	case "iat":
		return claimIat
	case "jti":
		return claimJti
	}
	return -1
}

// isDateClaim reports whether registered claim r is a NumericDate: exp, nbf or iat.
func isDateClaim(r int) bool {
	return r == claimExp || r == claimNbf || r == claimIat
}

// claim reads the value of registered claim r into c, with the types RFC 7519 §4.1 requires.
func (d *decoder) claim(r int, c *Claims) error {
	start := d.i
	var err error
	switch r {
	case claimIss:
		c.Issuer, err = d.str()
	case claimSub:
		c.Subject, err = d.str()
	case claimAud:
		c.Audience, err = d.audience(0)
	case claimExp, claimNbf, claimIat:
		// date, with its common case here: claim is on every token's path.
		nd, ok := d.plainDate()
		if !ok {
			nd, err = d.numberDate()
		}
		if err != nil {
			msg := errNumericDate.msg
			if err == errLateDate {
				msg = errLateDate.msg
			}
			return &jsonError{off: d.i, msg: registered[r] + ": " + msg}
		}
		c.setDate(r, nd)
		return nil
	case claimJti:
		c.ID, err = d.str()
	}
	if err != nil {
		return d.valueError(registered[r], claimType(r), start, err)
	}
	return nil
}

// setDate stores the date claim r (exp, nbf or iat).
func (c *Claims) setDate(r int, nd NumericDate) {
	switch r {
	case claimExp:
		c.ExpiresAt = nd
	case claimNbf:
		c.NotBefore = nd
	default:
		c.IssuedAt = nd
	}
}

// date returns the date claim r (exp, nbf or iat).
func (c *Claims) date(r int) NumericDate {
	switch r {
	case claimExp:
		return c.ExpiresAt
	case claimNbf:
		return c.NotBefore
	}
	return c.IssuedAt
}

// text returns the string claim r (iss, sub or jti), or for aud its only element or "" when
// it has none; ok is false for aud with several elements and for dates.
func (c *Claims) text(r int) (string, bool) {
	switch r {
	case claimIss:
		return c.Issuer, true
	case claimSub:
		return c.Subject, true
	case claimAud:
		switch len(c.Audience) {
		case 0:
			return "", true
		case 1:
			return c.Audience[0], true
		}
	case claimJti:
		return c.ID, true
	}
	return "", false
}

// claimType names the JSON type registered claim r must have, for error texts.
func claimType(r int) string {
	if r == claimAud {
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
// field it belongs to, where its value starts and, for an array of strings, how many it
// holds. fill stores it once the claims passed. A tape holds at most one entry per field, as
// an object names each field at most once.
type pending struct {
	field, n int32 // (a plan has fewer than 2³¹ fields, an array fewer than 2³¹ strings)
	off      int
}

// readMode says what claimsSet does with the members of a claims set.
type readMode uint8

// The read modes, one per function claimsSet hands the members to.
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
	// g is the plan whose member names are expected next (see claimsReader); without a
	// plan of the destination's, Claims' names the registered claims.
	g := p
	if g == nil {
		g = claimsPlan
	}
	r := claimsReader{g: g, top: true}
	var err error
	var blank []int
	switch mode {
	case intoMap:
		err = d.claimsIntoMap(&r, dst, c)
	case intoTape:
		tape, err = d.claimsIntoTape(&r, p, c, tape)
	case intoStruct:
		err = d.claimsIntoStruct(&r, dst, p, c)
	default:
		blank, err = d.claimsCheck(&r, p, c)
	}
	if err != nil {
		return tape, nil, err
	}
	r.names.set.release()
	return tape, blank, nil
}

// claimsReader reads the members of one object up to their values: of a claims set, for the
// four ways claimsSet stores them, or of a nested struct or map (structValue, mapValue). (It
// does not hold the decoder, which is passed to each call: the decoder then stays on its
// caller's stack.) It refuses a member whose name equals an earlier one's, exactly or under
// folding, and, in the claims set itself (top), compares each with what d.required asks of
// it: Expect.Claims names top-level claims only.
//
// The writer emits the fields of a plan in the order of g.fields (for an embedded Claims,
// the order of the claim numbers), so a token this package wrote names, after each member,
// the field that follows it in g.fields: the reader tries that spelling first, in one
// comparison (decoder.expectedName), and looks the name up only when it is not there.
type claimsReader struct {
	g     *plan
	names objectNames
	n     int  // members read so far
	next  int  // index in g.fields of the field expected next
	top   bool // reading the claims set itself, whose members d.required names
}

// claimMember is a member of a claims set read up to its value.
type claimMember struct {
	name  string
	field int32 // index in g.fields of the field named exactly name, or -1
	reg   int32 // the registered claim named name, or -1
	folds bool  // name equals the name of a field of g under folding alone
	// (The narrow numbers keep claimMember within the 32 bytes the compiler holds in
	// registers: a larger one was copied through memory after every call of member.)
}

// member reads the name and colon of the next member, or the closing brace, and then
// reports ok == false.
func (r *claimsReader) member(d *decoder) (m claimMember, ok bool, err error) {
	g := r.g
	m.field = -1
	if r.next < len(g.fields) && d.expectedName(r.n, &g.fields[r.next]) {
		m.field = int32(r.next)
		m.name = g.fields[m.field].name
	} else {
		if m.name, ok = d.compactName(r.n); !ok {
			if m.name, ok, err = d.member(r.n); err != nil || !ok {
				return m, false, err
			}
		}
		m.field = int32(g.lookup(m.name))
	}
	r.n++
	if m.field >= 0 {
		r.next = int(m.field) + 1
		m.reg = int32(g.fields[m.field].reg)
		if r.names.field(d, &g.fields[m.field]) {
			return m, false, d.duplicateError()
		}
	} else {
		m.reg = int32(registeredIndex(m.name))
		k, dup := r.names.other(d, g, m.name)
		if dup {
			return m, false, d.duplicateError()
		}
		m.folds = k >= 0
	}
	if r.top && d.required != nil {
		d.compareRequired(m.name, d.i)
	}
	return m, true, nil
}

// check reads the registered claims into c and checks the other members. With a plan p
// (encoding/json then fills a value of its type), it returns the offsets of the member
// names that encoding/json would bind by folding alone, at any depth (see checkBound).
func (d *decoder) claimsCheck(r *claimsReader, p *plan, c *Claims) ([]int, error) {
	var blank []int
	for {
		m, ok, err := r.member(d)
		if err != nil || !ok {
			return blank, err
		}
		if m.folds && p != nil {
			blank = append(blank, d.nameOff)
		}
		switch {
		case m.reg >= 0:
			// encoding/json reads it again, and checkDelivered compares.
			err = d.claim(int(m.reg), c)
		case m.field >= 0 && p != nil:
			blank, err = d.checkBound(p.fields[m.field].typ, blank)
		default:
			err = d.skipValue()
		}
		if err != nil {
			return blank, err
		}
	}
}

// intoMap reads every member into a new map[string]any, stored at dst once the object is
// read, and the registered claims also into c.
func (d *decoder) claimsIntoMap(r *claimsReader, dst reflect.Value, c *Claims) error {
	out := make(map[string]any)
	for {
		m, ok, err := r.member(d)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		start := d.i // the value
		if m.reg >= 0 {
			if err := d.claim(int(m.reg), c); err != nil {
				return err
			}
			again := decoder{s: d.s[:d.i], i: start}
			out[m.name], _ = again.anyValue() // already checked by claim
			continue
		}
		if out[m.name], err = d.anyValue(); err != nil {
			return err
		}
	}
	*dst.Addr().Interface().(*map[string]any) = out
	return nil
}

// intoTape checks each member against its field of the flat plan p without storing it, and
// appends to tape where each value starts, for fill; the registered claims go into c.
func (d *decoder) claimsIntoTape(r *claimsReader, p *plan, c *Claims, tape []pending) ([]pending, error) {
	for {
		m, ok, err := r.member(d)
		if err != nil || !ok {
			return tape, err
		}
		start := d.i // the value
		if done, err := d.registeredClaim(m, p, c); err != nil || done {
			if err != nil {
				return tape, err
			}
			continue
		}
		if m.field < 0 {
			err = d.skipValue()
		} else {
			var n int
			n, err = d.checkValue(&p.fields[m.field])
			tape = append(tape, pending{field: m.field, off: start, n: int32(n)})
		}
		if err != nil {
			return tape, err
		}
	}
}

// registeredClaim reads the value of member m into c when m names a registered claim, and
// reports whether that was all: no field of p has the name, or p's embedded Claims takes c as
// a whole. Otherwise d is left at the value, for the field to read it (again).
func (d *decoder) registeredClaim(m claimMember, p *plan, c *Claims) (done bool, err error) {
	if m.reg < 0 {
		return false, nil
	}
	start := d.i
	if err := d.claim(int(m.reg), c); err != nil {
		return true, err
	}
	if m.field < 0 || p.claims != nil {
		return true, nil
	}
	d.i = start
	return false, nil
}

// memberValue reads the value of the member just named into field i of dst, a struct value
// of plan p, or checks and skips it when i is -1 (no field has the name).
func (d *decoder) memberValue(dst reflect.Value, p *plan, i int32) error {
	if i < 0 {
		return d.skipValue()
	}
	f := &p.fields[i]
	fv, err := fieldByIndex(dst, f.index)
	if err != nil {
		return err
	}
	return d.value(fv, f)
}

// intoStruct reads each member into its field of dst, a new value of plan p, and the
// registered claims into c and then into p's embedded Claims, if it has one.
func (d *decoder) claimsIntoStruct(r *claimsReader, dst reflect.Value, p *plan, c *Claims) error {
	for {
		m, ok, err := r.member(d)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if done, err := d.registeredClaim(m, p, c); err != nil || done {
			if err != nil {
				return err
			}
			continue
		}
		if err := d.memberValue(dst, p, m.field); err != nil {
			return err
		}
	}
	if p.claims != nil {
		return setClaims(dst, p, c)
	}
	return nil
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
			if !isDateClaim(f.reg) || fv.Interface().(NumericDate) != c.date(f.reg) {
				return false
			}
		case fv.Kind() == reflect.String:
			if want, ok := c.text(f.reg); !ok || fv.String() != want {
				return false
			}
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			if f.reg != claimAud || fv.Len() != len(c.Audience) {
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
		// Zero only the top-level fields that nothing below overwrites as a whole: bit i of
		// stored is set when top-level field i is stored from a member, or is the embedded
		// Claims that setClaims stores. (zeroByField holds only for at most 64 fields, so
		// every i fits the word.) A field inside an embedded struct does not count: the
		// struct is zeroed first, and its stored fields then written into it.
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
	// The struct holding the last field stored, by its path: fields of one embedded struct
	// follow each other, and each is then reached with one Field call rather than two.
	var outer reflect.Value
	outerPath := []int(nil)
	for _, e := range tape {
		fl := &p.fields[e.field]
		var fv reflect.Value
		var err error
		switch n := len(fl.index); {
		case n == 1:
			fv = dst.Field(fl.index[0])
		case n == len(outerPath)+1 && slices.Equal(fl.index[:n-1], outerPath):
			fv = outer.Field(fl.index[n-1])
		default:
			// No pointer is on the way (see plan.flat), so this allocates nothing.
			if outer, err = fieldByIndex(dst, fl.index[:n-1]); err != nil {
				return err
			}
			outerPath = fl.index[:n-1]
			fv = outer.Field(fl.index[n-1])
		}
		d.i = e.off
		if e.n > 0 {
			err = d.stringsValue(fv, fl.kind == kindAudience, int(e.n))
		} else {
			err = d.value(fv, fl)
		}
		if err != nil {
			return err
		}
	}
	if p.claims != nil {
		return setClaims(dst, p, c)
	}
	return nil
}
