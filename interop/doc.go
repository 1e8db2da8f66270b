// Package interop holds the interoperability tests of zerojwt
// (github.com/zerojwt/jwt) against golang-jwt, lestrrat-go/jwx, go-jose,
// through Node.js panva/jose and jsonwebtoken, and through Python Django REST
// framework SimpleJWT. It has no non-test code; see README.md and run.sh.
package interop
