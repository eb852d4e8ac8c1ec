module purecore-fleet-worker

go 1.22

require github.com/purecore-sdk/purecore-go v0.0.0

replace github.com/purecore-sdk/purecore-go => ../../../bindings-c/go
