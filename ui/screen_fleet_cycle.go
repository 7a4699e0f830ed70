package ui

import "iamcreds/model"

// The fleet's filters that cycle: each value in turn, then none.

func nextStatus(st model.Status) model.Status {
	switch st {
	case "":
		return model.Active
	case model.Active:
		return model.Inactive
	case model.Inactive:
		return model.Expired
	}
	return ""
}

func nextService(cur string, all []string) string {
	for i, s := range all {
		if s == cur {
			if i+1 < len(all) {
				return all[i+1]
			}
			return ""
		}
	}
	if cur == "" && len(all) > 0 {
		return all[0]
	}
	return ""
}
