package jwt

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// kind says how the JSON reader and writer handle a field.
type kind uint8

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
)

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
	reg       int  // registeredIndex(name)
	// class numbers the fields whose names are equal under folding (see fold.go): fields in
	// one class are filled by encoding/json from the same members, so the reader lets an
	// object name at most one class member. foldHash is the fold hash of name.
	class    int
	foldHash uint64
	// foldShared is set when another field of the plan is in the same fold class: the
	// writer then refuses to write both (see appendStruct).
	foldShared bool
	// head8 holds the first (up to) eight bytes of quoted, little-endian, and mask8 the
	// bits of a word they fill, for the reader's one-word name check (expectedName).
	head8, mask8 uint64
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
	// maps the fold hash of a class to its number, and foldBits has bit h%64 set for the
	// fold hash h of every class, so that most names that fold to no field are told apart
	// without a lookup.
	classFirst []int
	byFold     map[uint64]int
	foldBits   uint64
	// foldShared is set when some fold class has more than one field, and names then holds
	// the name of each field, as the writer's nameSource.
	foldShared bool
	names      []string
}

// foldClass returns the fold class of the fields whose names equal name under folding, or
// -1; h is the fold hash of name.
func (p *plan) foldClass(name string, h uint64) int {
	if p.foldBits&(1<<(h%64)) == 0 {
		return -1
	}
	if k, ok := p.byFold[h]; ok && sameFold(p.fields[p.classFirst[k]].name, name) {
		return k
	}
	return -1
}

// lookup returns the index of the field named name (exact match), or -1.
func (p *plan) lookup(name string) int {
	for i := range p.fields {
		if f := &p.fields[i]; len(f.name) == len(name) && f.name == name {
			return i
		}
	}
	return -1
}

var plans sync.Map // reflect.Type -> *plan

// planFor returns the plan of struct type t.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

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
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return kindAny
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

// buildPlan resolves the JSON members of struct type t the way encoding/json does: exported
// fields, json tags, embedded structs flattened, and for a name given more than once the
// shallowest field wins, a tagged one over an untagged one, and an unresolved tie drops both.
func buildPlan(t reflect.Type) *plan {
	type queued struct {
		t     reflect.Type
		index []int
	}
	var all []field
	quotedOption := false
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
	// Keep one field per name: the shallowest, tagged before untagged, ties dropped.
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
	p := &plan{t: t, custom: hasCustomJSON(t) || quotedOption}
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		group := all[i:j]
		if len(group) == 1 || len(group[1].index) > len(group[0].index) || group[0].tagged && !group[1].tagged {
			p.fields = append(p.fields, group[0])
		}
		i = j
	}
	slices.SortFunc(p.fields, func(a, b field) int { return slices.Compare(a.index, b.index) })
	for i := range p.fields {
		f := &p.fields[i]
		q, _ := appendString(nil, f.name)
		f.quoted = string(append(q, ':'))
		f.reg = registeredIndex(f.name)
		for j := 0; j < len(f.quoted) && j < 8; j++ {
			f.head8 |= uint64(f.quoted[j]) << (8 * j)
			f.mask8 |= 0xff << (8 * j)
		}
	}
	p.checkDelivered = p.custom
	p.byFold = make(map[uint64]int)
	for i := range p.fields {
		f := &p.fields[i]
		f.foldHash = foldHash(f.name)
		k, ok := p.byFold[f.foldHash]
		if !ok || !sameFold(p.fields[p.classFirst[k]].name, f.name) {
			// A new class. Should two classes share a 64-bit hash (never seen in practice),
			// byFold keeps the later one.
			k = len(p.classFirst)
			p.classFirst = append(p.classFirst, i)
			p.byFold[f.foldHash] = k
		}
		f.class = k
		p.foldBits |= 1 << (f.foldHash % 64)
		if f.reg >= 0 && f.kind == kindOther {
			p.checkDelivered = true
		}
	}
	markFoldShared(p)
	p.flat = !p.custom
	p.topFields = t.NumField()
	p.zeroByField = p.topFields <= 64
	for i := range p.topFields {
		if !t.Field(i).IsExported() {
			p.zeroByField = false
		}
	}
	for i := range p.fields {
		if f := &p.fields[i]; !flatKind(f.kind) || behindPointer(t, f.index) {
			p.flat = false
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
