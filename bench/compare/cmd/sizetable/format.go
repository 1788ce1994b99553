package main

import (
	"math"
	"strconv"
)

// sig3 writes v with about three significant digits, and whole numbers with
// thousands separators from 1,000 up: 0.512, 4.76, 41.0, 654, 25,366.
func sig3(v float64) string {
	switch {
	case v >= 1000:
		return thousands(int64(math.Round(v)))
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// rate writes messages per second: 4.76 M, 855 k, 91.2 k, 7,700, 171.
func rate(v float64) string {
	switch {
	case v >= 1e6:
		return sig3(v/1e6) + " M"
	case v >= 1e4:
		return sig3(v/1e3) + " k"
	}
	return sig3(v)
}
