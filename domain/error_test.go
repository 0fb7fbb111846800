package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"microshop/domain"
)

// checkInvalid fails unless err is a *domain.Error with code EInvalid whose
// message contains every one of wantInMessage.
func checkInvalid(t *testing.T, err error, wantInMessage ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want an %q error", domain.EInvalid)
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("got error %T %v, want a *domain.Error", err, err)
	}
	if got, want := domain.ErrorCode(err), domain.EInvalid; got != want {
		t.Errorf("ErrorCode = %q, want %q", got, want)
	}
	msg := domain.ErrorMessage(err)
	for _, w := range wantInMessage {
		if !strings.Contains(msg, w) {
			t.Errorf("ErrorMessage = %q, want it to contain %q", msg, w)
		}
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	inner := domain.Errorf(domain.ENotFound, "no SKU %q in this shop", "MUG-1")
	tests := []struct {
		name     string
		err      error
		wantCode string
		wantMsg  string
	}{
		{"nil", nil, "", ""},
		{"domain error", inner, domain.ENotFound, `no SKU "MUG-1" in this shop`},
		{"wrapped domain error", fmt.Errorf("sell: %w", inner), domain.ENotFound, `no SKU "MUG-1" in this shop`},
		{"twice wrapped", fmt.Errorf("cli: %w", fmt.Errorf("sell: %w", inner)), domain.ENotFound, `no SKU "MUG-1" in this shop`},
		{"plain error", errors.New("disk full"), domain.EInternal, "Something went wrong inside Microshop: disk full."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.ErrorCode(tt.err); got != tt.wantCode {
				t.Errorf("ErrorCode = %q, want %q", got, tt.wantCode)
			}
			if got := domain.ErrorMessage(tt.err); got != tt.wantMsg {
				t.Errorf("ErrorMessage = %q, want %q", got, tt.wantMsg)
			}
		})
	}
}

func TestErrorUnwrap(t *testing.T) {
	cause := errors.New("database is locked")
	err := fmt.Errorf("open shop: %w", &domain.Error{Code: domain.EUnavailable, Message: "The shop is in use by another program.", Err: cause})

	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(err, cause) = false, want true")
	}
	if got, want := err.Error(), "open shop: The shop is in use by another program.: database is locked"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := domain.ErrorMessage(err), "The shop is in use by another program."; got != want {
		t.Errorf("ErrorMessage = %q, want %q", got, want)
	}
	if got, want := domain.ErrorCode(err), domain.EUnavailable; got != want {
		t.Errorf("ErrorCode = %q, want %q", got, want)
	}
}

// The codes cross the sync wire, so their spelling must never change.
func TestErrorCodesAreStable(t *testing.T) {
	tests := []struct{ got, want string }{
		{domain.EInvalid, "invalid"},
		{domain.ENotFound, "not_found"},
		{domain.EConflict, "conflict"},
		{domain.EInternal, "internal"},
		{domain.EUnavailable, "unavailable"},
		{domain.ETooNew, "too_new"},
		{domain.EUnauthorized, "unauthorized"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("code = %q, want %q", tt.got, tt.want)
		}
	}
}
