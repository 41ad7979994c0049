module github.com/sendivent/sendivent-sdk/bindings-c/go

go 1.23
