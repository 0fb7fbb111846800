package domain_test

import (
	"testing"
	"time"

	"microshop/domain"
)

func TestBuyerMessage(t *testing.T) {
	loc := berlin(t)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, loc) }
	today := day(time.May, 1)
	tests := []struct {
		name      string
		in        domain.MessageInput
		want      string
		wantShips time.Time
	}{
		{
			name:      "digital",
			in:        domain.MessageInput{Path: domain.PathDigital, Today: today, HandlingDays: 1},
			want:      "Digital product: available to download right after purchase.",
			wantShips: today,
		},
		{
			name:      "in stock, one day handling",
			in:        domain.MessageInput{Path: domain.PathPrint, Available: 3, LeadDays: 10, HandlingDays: 1, Today: today},
			want:      "In stock: ships in 1 day.",
			wantShips: day(time.May, 2),
		},
		{
			name:      "in stock, three days handling",
			in:        domain.MessageInput{Path: domain.PathHandmade, Available: 1, LeadDays: 10, HandlingDays: 3, Today: today},
			want:      "In stock: ships in 3 days.",
			wantShips: day(time.May, 4),
		},
		{
			name:      "in stock beats an open batch",
			in:        domain.MessageInput{Path: domain.PathPrint, Available: 1, HandlingDays: 1, Today: today, NextArrival: time.Date(2026, 5, 10, 14, 0, 0, 0, loc)},
			want:      "In stock: ships in 1 day.",
			wantShips: day(time.May, 2),
		},
		{
			name:      "back in stock by the batch date",
			in:        domain.MessageInput{Path: domain.PathMicrofactory, LeadDays: 30, HandlingDays: 1, Today: today, NextArrival: time.Date(2026, 5, 10, 14, 0, 0, 0, loc)},
			want:      "Back in stock by 10 May 2026: order now and it ships by 11 May 2026.",
			wantShips: day(time.May, 11),
		},
		{
			name:      "oversold waits for the batch too",
			in:        domain.MessageInput{Path: domain.PathPrint, Available: -2, LeadDays: 7, HandlingDays: 2, Today: today, NextArrival: time.Date(2026, 5, 6, 9, 0, 0, 0, loc)},
			want:      "Back in stock by 6 May 2026: order now and it ships by 8 May 2026.",
			wantShips: day(time.May, 8),
		},
		{
			name:      "overdue batch promises tomorrow",
			in:        domain.MessageInput{Path: domain.PathPrint, LeadDays: 7, HandlingDays: 1, Today: today, NextArrival: time.Date(2026, 4, 25, 12, 0, 0, 0, loc)},
			want:      "Back in stock by 2 May 2026: order now and it ships by 3 May 2026.",
			wantShips: day(time.May, 3),
		},
		{
			name:      "handmade with an open batch waits for it",
			in:        domain.MessageInput{Path: domain.PathHandmade, LeadDays: 14, HandlingDays: 1, Today: today, NextArrival: time.Date(2026, 5, 4, 12, 0, 0, 0, loc)},
			want:      "Back in stock by 4 May 2026: order now and it ships by 5 May 2026.",
			wantShips: day(time.May, 5),
		},
		{
			name:      "handmade made to order",
			in:        domain.MessageInput{Path: domain.PathHandmade, LeadDays: 5, HandlingDays: 1, Today: today},
			want:      "Made to order: ships by 7 May 2026.",
			wantShips: day(time.May, 7),
		},
		{
			name:      "out of stock with no batch",
			in:        domain.MessageInput{Path: domain.PathPrint, LeadDays: 10, HandlingDays: 1, Today: today},
			want:      "Out of stock: back in stock by 11 May 2026, order now and it ships by 12 May 2026.",
			wantShips: day(time.May, 12),
		},
		{
			name:      "ship date across the spring DST change",
			in:        domain.MessageInput{Path: domain.PathPrint, Available: 5, HandlingDays: 2, Today: day(time.March, 28)},
			want:      "In stock: ships in 2 days.",
			wantShips: day(time.March, 30),
		},
		{
			name:      "made to order across a month end",
			in:        domain.MessageInput{Path: domain.PathHandmade, LeadDays: 20, HandlingDays: 1, Today: day(time.March, 20)},
			want:      "Made to order: ships by 10 April 2026.",
			wantShips: day(time.April, 10),
		},
		{
			// The expected arrival is an instant; its day is the day in the
			// shop's zone (Today's), not whatever zone the caller's time has.
			name:      "batch date is the day in the shop's zone",
			in:        domain.MessageInput{Path: domain.PathPrint, LeadDays: 7, HandlingDays: 1, Today: today, NextArrival: time.Date(2026, 5, 10, 23, 30, 0, 0, time.UTC)},
			want:      "Back in stock by 11 May 2026: order now and it ships by 12 May 2026.",
			wantShips: day(time.May, 12),
		},
		{
			// Archived with units still on the shelf: it is not for sale.
			name: "archived, still in stock",
			in:   domain.MessageInput{Path: domain.PathPrint, Archived: true, Available: 4, HandlingDays: 1, Today: today},
			want: "No longer sold: this product has been discontinued.",
		},
		{
			name: "archived digital",
			in:   domain.MessageInput{Path: domain.PathDigital, Archived: true, Today: today},
			want: "No longer sold: this product has been discontinued.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ships := domain.BuyerMessage(tt.in)
			if got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
			if !ships.Equal(tt.wantShips) {
				t.Errorf("ships = %v, want %v", ships, tt.wantShips)
			}
		})
	}
}
