// Package lan lets devices of a shop find each other on the local network
// and pair without typing an address: a computer hosting sync advertises
// itself by mDNS (service _microshop._tcp), others browse for it, and the
// host hands over an invite sealed under a short code that people read off
// its screen, so the code itself never crosses the network.
package lan
