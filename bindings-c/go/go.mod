module github.com/purecore-sdk/purecore-go

go 1.22
