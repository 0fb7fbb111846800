// Package domain holds Microshop's types and operating rules as pure functions:
// days-of-cover defaults, daily sell-through, reorder points, the quality hold,
// the quality pause, return classes, the buyer message and a SKU's status.
// It imports only the standard library; the app layer applies these rules to
// what the store holds.
package domain
