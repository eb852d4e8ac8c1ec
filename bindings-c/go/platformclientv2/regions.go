package platformclientv2

// This file is written by hand. The region table itself lives in the purecore core;
// TestRegionConstantsMatchCore checks that these constants agree with it.

import "github.com/purecore-sdk/purecore-go/internal/native"

// API base URLs of the Genesys Cloud regions, for Configuration.BasePath.
const (
	USEast1      = "https://api.mypurecloud.com"
	EUWest1      = "https://api.mypurecloud.ie"
	APSoutheast2 = "https://api.mypurecloud.com.au"
	APNortheast1 = "https://api.mypurecloud.jp"
	EUCentral1   = "https://api.mypurecloud.de"
	USWest2      = "https://api.usw2.pure.cloud"
	CACentral1   = "https://api.cac1.pure.cloud"
	APNortheast2 = "https://api.apne2.pure.cloud"
	EUWest2      = "https://api.euw2.pure.cloud"
	APSouth1     = "https://api.aps1.pure.cloud"
	USEast2      = "https://api.use2.us-gov-pure.cloud"
	SAEast1      = "https://api.sae1.pure.cloud"
	MECentral1   = "https://api.mec1.pure.cloud"
	APNortheast3 = "https://api.apne3.pure.cloud"
	EUCentral2   = "https://api.euc2.pure.cloud"
	MXCentral1   = "https://api.mxc1.pure.cloud"
	APSoutheast1 = "https://api.apse1.pure.cloud"
	EUSCDEEast1  = "https://api.edee1.eusc-pure.cloud"
)

// regionConstants maps the core's region names to the constants above.
var regionConstants = map[string]string{
	"us_east_1": USEast1, "eu_west_1": EUWest1, "ap_southeast_2": APSoutheast2, "ap_northeast_1": APNortheast1,
	"eu_central_1": EUCentral1, "us_west_2": USWest2, "ca_central_1": CACentral1, "ap_northeast_2": APNortheast2,
	"eu_west_2": EUWest2, "ap_south_1": APSouth1, "us_east_2": USEast2, "sa_east_1": SAEast1,
	"me_central_1": MECentral1, "ap_northeast_3": APNortheast3, "eu_central_2": EUCentral2,
	"mx_central_1": MXCentral1, "ap_southeast_1": APSoutheast1, "eusc_de_east_1": EUSCDEEast1,
}

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
