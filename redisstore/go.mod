module github.com/zerojwt/jwt/redisstore

// go-redis v9.23.0 declares go 1.26.0, so this module needs Go 1.26 (the root module: 1.25).
go 1.26.0

require (
	github.com/redis/go-redis/v9 v9.23.0
	github.com/zerojwt/jwt v0.0.0-00010101000000-000000000000
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)

replace github.com/zerojwt/jwt => ../
