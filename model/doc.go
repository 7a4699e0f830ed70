// Package model is the data model of iamcreds: IAM users, their service-specific
// credentials, the one-time secrets IAM hands out, the catalog of services and the
// rules IAM enforces. It uses only the standard library.
//
// "model" here means the data model; Bubble Tea's models live in package ui.
package model
