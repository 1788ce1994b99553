module github.com/troupe-go/troupe/bench/compare

go 1.26

replace github.com/troupe-go/troupe => ../..
