package ui

import "sort"

// colSpec describes a table column: its ideal width (max), the least it can
// shrink to (min), and its priority (lower values are placed first).
type colSpec struct {
	title    string
	min, max int
	prio     int
}

// fitColumns places columns in priority order at their ideal width while they
// fit; the first that does not fit takes what is left if that is at least its
// min, and no column is placed after it. Each column costs its width plus one
// column of left padding. Spare width goes to the last column shown, so rows fill
// the pane exactly. keep lists the placed columns' indexes, in display order.
func fitColumns(specs []colSpec, width int) (cols []column, keep []int) {
	order := make([]int, len(specs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return specs[order[a]].prio < specs[order[b]].prio })
	widths := make([]int, len(specs))
	used := 0
	for _, i := range order {
		s := specs[i]
		if used+s.max+1 <= width {
			widths[i] = s.max
			used += s.max + 1
			continue
		}
		if used+s.min+1 <= width {
			widths[i] = width - used - 1
			used = width
		}
		break
	}
	if used == 0 && len(specs) > 0 { // not even the first column fits at its min
		widths[order[0]] = max(1, width-1)
		used = widths[order[0]] + 1
	}
	last := -1
	for i := range specs {
		if widths[i] > 0 {
			keep = append(keep, i)
			last = i
		}
	}
	if last >= 0 && used < width {
		widths[last] += width - used
	}
	for _, i := range keep {
		cols = append(cols, column{title: specs[i].title, width: widths[i]})
	}
	return cols, keep
}

// fitStep is one step of fitSteps: show column col width wide (its first
// step), or widen it to width (a later one).
type fitStep struct{ col, width int }

// fitSteps chooses the widths of n columns for a table width wide. It takes the
// steps in order while each fits — a column's first step shows it, a later one
// widens it; a column costs its width plus one column of left padding — and
// stops at the first that does not, so the steps are the columns' priorities:
// what identifies a row first, at its narrowest. The room left goes to the
// first of fills that is shown. A width of 0 is a column not shown.
func fitSteps(n int, steps []fitStep, fills []int, width int) []int {
	widths := make([]int, n)
	used := 0
	for _, s := range steps {
		cost := s.width - widths[s.col]
		if widths[s.col] == 0 {
			cost++ // its padding
		}
		if cost <= 0 {
			continue
		}
		if used+cost > width {
			break
		}
		widths[s.col] = s.width
		used += cost
	}
	for _, f := range fills {
		if widths[f] > 0 {
			widths[f] += max(0, width-used)
			break
		}
	}
	return widths
}

// project keeps the cells of the chosen columns.
func project(cells []string, keep []int) []string {
	row := make([]string, len(keep))
	for j, i := range keep {
		row[j] = cells[i]
	}
	return row
}

// sameKeep reports whether two column choices are equal.
func sameKeep(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
