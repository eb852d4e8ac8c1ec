package platformclientv2_test

// The whole-surface conformance sweep: every catalog operation, called through its
// generated typed Go method (by reflection) with the emulator's sample parameters from
// GET /admin/samples, must succeed and decode. The mapping from operation id to Go
// method and from Go parameters to spec names is read from the generated source.

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

type goMethod struct {
	class, name string
	// specNames[i] is the spec name of the method's i-th parameter (after ctx).
	specNames []string
}

// generatedMethods maps each operation id to the first generated method calling it.
func generatedMethods(t *testing.T) (map[string]goMethod, map[string]bool) {
	t.Helper()
	files, err := filepath.Glob("*api.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated API files: %v", err)
	}
	sort.Strings(files)
	fset := token.NewFileSet()
	methods := map[string]goMethod{}
	classes := map[string]bool{}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !strings.HasSuffix(fn.Name.Name, "WithContext") {
				continue
			}
			class := fmt.Sprint(fn.Recv.List[0].Type)
			classes[class] = true
			bySpec := map[string]string{} // Go name -> spec name
			opID := ""
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.KeyValueExpr:
					if k, ok := x.Key.(*ast.BasicLit); ok {
						if v, ok := x.Value.(*ast.Ident); ok {
							bySpec[v.Name], _ = strconv.Unquote(k.Value)
						}
					}
				case *ast.AssignStmt:
					if ix, ok := x.Lhs[0].(*ast.IndexExpr); ok {
						if k, ok := ix.Index.(*ast.BasicLit); ok {
							if v, ok := x.Rhs[0].(*ast.Ident); ok {
								bySpec[v.Name], _ = strconv.Unquote(k.Value)
							}
						}
					}
				case *ast.CallExpr:
					name := ""
					switch f := x.Fun.(type) {
					case *ast.Ident:
						name = f.Name
					case *ast.IndexExpr:
						if id, ok := f.X.(*ast.Ident); ok {
							name = id.Name
						}
					}
					if strings.HasPrefix(name, "pcSet") && len(x.Args) == 3 {
						k, _ := x.Args[1].(*ast.BasicLit)
						v, _ := x.Args[2].(*ast.Ident)
						if k != nil && v != nil {
							bySpec[v.Name], _ = strconv.Unquote(k.Value)
						}
					}
					if (name == "pcInvoke" || name == "pcInvokeList" || name == "pcInvokeNoResult") && len(x.Args) == 4 {
						if lit, ok := x.Args[2].(*ast.BasicLit); ok {
							opID, _ = strconv.Unquote(lit.Value)
						}
					}
				}
				return true
			})
			if opID == "" || methods[opID].name != "" {
				continue
			}
			m := goMethod{class: class, name: fn.Name.Name}
			for _, field := range fn.Type.Params.List[1:] {
				for _, n := range field.Names {
					m.specNames = append(m.specNames, bySpec[n.Name])
				}
			}
			methods[opID] = m
		}
	}
	return methods, classes
}

func TestSweepRegistryIsComplete(t *testing.T) {
	methods, classes := generatedMethods(t)
	if len(methods) < 3000 {
		t.Fatalf("only %d operations found in the generated code", len(methods))
	}
	for id, m := range methods {
		for i, spec := range m.specNames {
			if spec == "" {
				t.Fatalf("%s: parameter %d of %s.%s has no spec name", id, i, m.class, m.name)
			}
		}
	}
	got := strings.Join(methods["getUsers"].specNames, ",")
	if got != "pageSize,pageNumber,id,jabberId,sortOrder,expand,integrationPresenceSource,userCustomAttributeSchemaIds,state" {
		t.Fatalf("getUsers parameters: %s", got)
	}
	have := map[string]bool{}
	for _, api := range apiClasses(pc.NewConfiguration()) {
		have[reflect.TypeOf(api).Elem().Name()] = true
	}
	for class := range classes {
		if !have[class] {
			t.Errorf("apis_registry_test.go lacks pc.New%sWithConfig(cfg)", class)
		}
	}
}

type sample struct {
	ID     string                     `json:"id"`
	Params map[string]json.RawMessage `json:"params"`
}

func TestConformanceSweep(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	resp, err := http.Get(e.URL + "/admin/samples")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /admin/samples answered %d: this emulator has no sample parameters yet, so the whole-surface sweep cannot run (it needs the emulator that answers every catalog operation)", resp.StatusCode)
	}
	var samples struct {
		Operations []sample `json:"operations"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&samples); err != nil || len(samples.Operations) == 0 {
		t.Fatalf("GET /admin/samples: %v (%d operations)", err, len(samples.Operations))
	}
	sweep(t, e, samples.Operations)
}

// The sweep itself, over the operations the emulator has always answered, so the
// reflection and parameter mapping are checked even without /admin/samples.
func TestConformanceSweepMachinery(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	sweep(t, e, []sample{
		{ID: "getUsersMe", Params: map[string]json.RawMessage{"expand": raw(`["presence"]`)}},
		{ID: "getUser", Params: map[string]json.RawMessage{"userId": raw(`"` + userID + `"`)}},
		{ID: "getUsers", Params: map[string]json.RawMessage{"pageSize": raw(`2`), "pageNumber": raw(`1`)}},
		{ID: "getTokensMe", Params: map[string]json.RawMessage{}},
		{ID: "getAuthorizationPermissions", Params: map[string]json.RawMessage{}},
		{ID: "postAnalyticsConversationsDetailsQuery", Params: map[string]json.RawMessage{"body": raw(`{"interval":"2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"}`)}},
	})
	q := e.requests()
	for _, r := range q {
		if strings.HasSuffix(r.Path, "/api/v2/users") && r.Query != "pageSize=2&pageNumber=1" {
			t.Fatalf("sample parameters reach the request: %q", r.Query)
		}
	}
}

func sweep(t *testing.T, e *emulator, operations []sample) {
	methods, _ := generatedMethods(t)
	cfg := e.loggedIn()
	cfg.RetryConfiguration.RetryMax = 0
	apis := map[string]reflect.Value{}
	for _, api := range apiClasses(cfg) {
		apis[reflect.TypeOf(api).Elem().Name()] = reflect.ValueOf(api)
	}
	var failures []string
	ok := 0
	ctx := context.Background()
	for _, s := range operations {
		m, found := methods[s.ID]
		if !found {
			failures = append(failures, s.ID+": no generated Go method")
			continue
		}
		fn := apis[m.class].MethodByName(m.name)
		args := []reflect.Value{reflect.ValueOf(ctx)}
		var argErr error
		for i, spec := range m.specNames {
			ty := fn.Type().In(i + 1)
			raw, given := s.Params[spec]
			if !given {
				args = append(args, reflect.Zero(ty))
				continue
			}
			target := ty
			if ty.Kind() == reflect.Pointer {
				target = ty.Elem()
			}
			v := reflect.New(target)
			if err := json.Unmarshal(raw, v.Interface()); err != nil {
				argErr = fmt.Errorf("parameter %s: %v", spec, err)
				break
			}
			if ty.Kind() == reflect.Pointer {
				args = append(args, v)
			} else {
				args = append(args, v.Elem())
			}
		}
		if argErr != nil {
			failures = append(failures, s.ID+": "+argErr.Error())
			continue
		}
		out := fn.Call(args)
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			failures = append(failures, fmt.Sprintf("%s (%s.%s): %v", s.ID, m.class, m.name, err))
			continue
		}
		ok++
	}
	t.Logf("%d of %d operations succeeded through their typed Go methods", ok, len(operations))
	if len(failures) > 0 {
		if len(failures) > 40 {
			failures = append(failures[:40], fmt.Sprintf("... and %d more", len(failures)-40))
		}
		t.Fatalf("%d operations failed:\n%s", len(failures), strings.Join(failures, "\n"))
	}
}
