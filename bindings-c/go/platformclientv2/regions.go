package platformclientv2

// This file is written by hand. The region constants, DefaultRegion and ErrorKinds are
// generated from the core's tables into tables_generated.go (scripts/codegen).

import "github.com/purecore-sdk/purecore-go/internal/native"

// RegionBases returns the API base URL of every region the core knows, by region name.
func RegionBases() map[string]string {
	out := map[string]string{}
	for _, r := range native.Regions() {
		out[r.Name] = "https://api." + r.Domain
	}
	return out
}

// RegionConstant returns the constant of a region name ("" when there is none).
func RegionConstant(name string) string { return regionConstants[name] }
