package jwthttp

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/zerojwt/jwt"
)

// logRefusal reports why a request was answered status: to errorLog when it is set, and
// otherwise to the default slog logger at the level of [levelOf]. The record holds the
// method, the path, the status and the error's text, which never contains a token, a key or
// a claim value.
func logRefusal(errorLog func(*http.Request, error), r *http.Request, status int, err error) {
	if errorLog != nil {
		errorLog(r, err)
		return
	}
	ctx, level := r.Context(), levelOf(err)
	l := slog.Default()
	if !l.Enabled(ctx, level) {
		return
	}
	l.LogAttrs(ctx, level, "jwthttp: request refused",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.String("error", err.Error()))
}

// levelOf is the slog level of a refusal: Debug for a request without a token (ordinary
// traffic on a protected route, which would drown the rest at Info), Warn for a spent
// refresh token presented again (a security event: a stolen token, or a client racing
// itself), Error for what the server must fix (the store failed, or the configuration is
// wrong), and Info for every other refusal (a token expired, forged, of the wrong kind, a
// malformed request, a cross-origin one), so that by default each 401 has a findable reason.
func levelOf(err error) slog.Level {
	switch {
	case errors.Is(err, ErrNoToken):
		return slog.LevelDebug
	case errors.Is(err, jwt.ErrReused):
		return slog.LevelWarn
	case errors.Is(err, jwt.ErrStore), errors.Is(err, jwt.ErrInvalidConfig):
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}
