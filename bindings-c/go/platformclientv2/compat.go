package platformclientv2

// This file is written by hand: what code written for the official Go SDK expects beside
// the generated classes: the pointer helpers that fill request bodies, list results, and
// the work behind every model's SetField and MarshalJSON.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
)

// String returns a pointer to v (for the pointer fields of models).
func String(v string) *string { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Int returns a pointer to v.
func Int(v int) *int { return &v }

// Int32 returns a pointer to v.
func Int32(v int32) *int32 { return &v }

// Int64 returns a pointer to v.
func Int64(v int64) *int64 { return &v }

// Float32 returns a pointer to v.
func Float32(v float32) *float32 { return &v }

// Float64 returns a pointer to v.
func Float64(v float64) *float64 { return &v }

// Time returns a pointer to v.
func Time(v time.Time) *time.Time { return &v }

// pcInvokeList runs an operation whose body is a JSON array; the slice is returned as is
// (nil when the body is empty), as the official SDK returns arrays.
func pcInvokeList[E any](ctx context.Context, cfg *Configuration, operationID string, params map[string]any) ([]E, *APIResponse, error) {
	out, resp, err := pcInvoke[[]E](ctx, cfg, operationID, params)
	if out == nil {
		return nil, resp, err
	}
	return *out, resp, err
}

// pcModelFields records what SetField did to one model value.
type pcModelFields struct {
	mu  sync.Mutex
	set map[string]bool // Go field names given to SetField
	err error           // the first bad SetField, reported when the model is encoded
}

// pcSetField sets the field named field (Go name, or else JSON name) of the struct model
// points to. A value of the field's element type is stored through a new pointer; nil
// stores nil and makes the field an explicit null. A bad name or type is remembered and
// returned when the model is encoded, so the call fails with a message naming it.
func pcSetField(model any, fields **pcModelFields, field string, value any) {
	if *fields == nil {
		*fields = &pcModelFields{set: map[string]bool{}}
	}
	f := *fields
	f.mu.Lock()
	defer f.mu.Unlock()
	rv := reflect.ValueOf(model).Elem()
	sf, ok := modelField(rv.Type(), field)
	if !ok {
		if f.err == nil {
			f.err = fmt.Errorf("SetField: %s has no field %q", rv.Type().Name(), field)
		}
		return
	}
	fv := rv.FieldByIndex(sf.Index)
	if value == nil {
		switch fv.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			fv.SetZero()
			f.set[sf.Name] = true
		default:
			if f.err == nil {
				f.err = fmt.Errorf("SetField: %s.%s (%s) cannot be nil", rv.Type().Name(), sf.Name, fv.Type())
			}
		}
		return
	}
	v := reflect.ValueOf(value)
	switch {
	case v.Type().AssignableTo(fv.Type()):
		fv.Set(v)
	case fv.Kind() == reflect.Pointer && v.Type().AssignableTo(fv.Type().Elem()):
		p := reflect.New(fv.Type().Elem())
		p.Elem().Set(v)
		fv.Set(p)
	default:
		if f.err == nil {
			f.err = fmt.Errorf("SetField: %s.%s is %s, not %s", rv.Type().Name(), sf.Name, fv.Type(), v.Type())
		}
		return
	}
	f.set[sf.Name] = true
}

// modelField finds an exported field by Go name, or else by JSON name.
func modelField(t reflect.Type, name string) (reflect.StructField, bool) {
	if sf, ok := t.FieldByName(name); ok && sf.IsExported() {
		return sf, true
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.IsExported() && jsonName(sf) == name {
			return sf, true
		}
	}
	return reflect.StructField{}, false
}

func jsonName(sf reflect.StructField) string {
	name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
	if name == "" {
		return sf.Name
	}
	return name
}

// pcMarshalModel encodes v (a model without its methods) and adds "name":null for each
// field given to SetField that is nil now.
func pcMarshalModel(v any, f *pcModelFields) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || f == nil {
		return b, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	rv := reflect.ValueOf(v)
	var nulls []string
	for i := 0; i < rv.NumField(); i++ {
		sf := rv.Type().Field(i)
		if !f.set[sf.Name] {
			continue
		}
		switch fv := rv.Field(i); fv.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			if fv.IsNil() {
				name, _ := json.Marshal(jsonName(sf))
				nulls = append(nulls, string(name)+":null")
			}
		}
	}
	if len(nulls) == 0 {
		return b, nil
	}
	b = bytes.TrimSuffix(bytes.TrimSpace(b), []byte("}"))
	if !bytes.Equal(b, []byte("{")) {
		b = append(b, ',')
	}
	b = append(b, strings.Join(nulls, ",")...)
	return append(b, '}'), nil
}
