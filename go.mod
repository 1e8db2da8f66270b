module github.com/zerojwt/jwt

go 1.25
