package platformclientv2

// Version is purecore's version (the workspace's, checked by scripts/check-versions).
const Version = "0.1.0"
