package localiam

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Organizations speaks the JSON 1.1 protocol: POST /, X-Amz-Target
// "AWSOrganizationsV20161128.<Op>", a JSON body, and errors as
// {"__type": code, "Message": text} with status 400 (500 for ServiceException).
const (
	orgTargetPrefix = "AWSOrganizationsV20161128."
	jsonContentType = "application/x-amz-json-1.1"
	// orgPageSize is ListAccounts' largest page (MaxResults 1-20), and its
	// default when MaxResults is absent (UNCERTAIN: AWS documents no default).
	orgPageSize = 20
)

// jsonActions are the Organizations operations served.
var jsonActions = map[string]bool{"ListAccounts": true}

// organization is the accounts of an organization seed.
type organization struct {
	id       string     // o-…
	accounts []*account // the management account first, then the members in join order
	byID     map[string]*account
	byKey    map[string]*account // long-term access key ID → account
}

func (o *organization) accountARN(a *account) string {
	return "arn:aws:organizations::" + o.accounts[0].id + ":account/" + o.id + "/" + a.id
}

// jsonError is an error in the JSON protocol.
type jsonError struct {
	status  int
	code    string
	message string
	reason  string // InvalidInputException's Reason
}

var (
	errOrgNotInUse = &jsonError{http.StatusBadRequest, "AWSOrganizationsNotInUseException",
		"Your account is not a member of an organization.", ""}
	errOrgDenied = &jsonError{http.StatusBadRequest, "AccessDeniedException",
		"You don't have permissions to access this resource.", ""}
	errOrgThrottled = &jsonError{http.StatusBadRequest, "TooManyRequestsException", "Rate exceeded", ""}
	errOrgFailure   = &jsonError{http.StatusInternalServerError, "ServiceException",
		"AWS Organizations can't complete your request because of an internal service error. Try again later.", ""}
	errOrgBadToken = &jsonError{http.StatusBadRequest, "InvalidInputException",
		"You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.", "INVALID_NEXT_TOKEN"}
	errSerialization = &jsonError{http.StatusBadRequest, "SerializationException",
		"The request body is not a JSON object of the operation's input.", ""}
)

// jsonAuthError is the JSON protocol's spelling of a rejected signature.
func jsonAuthError(e *apiError) *jsonError {
	code := "UnrecognizedClientException"
	if e == errExpiredToken {
		code = "ExpiredTokenException"
	}
	return &jsonError{http.StatusBadRequest, code, e.Message, ""}
}

// serveJSON answers one Organizations request.
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, target string, faults *faultSet) {
	op, ok := strings.CutPrefix(target, orgTargetPrefix)
	if !ok || !jsonActions[op] {
		writeJSONError(w, &jsonError{http.StatusBadRequest, "UnknownOperationException", "", ""})
		return
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost || err != nil || !strings.HasPrefix(mediaType, "application/x-amz-json-") {
		writeJSONError(w, errSerialization)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeJSONError(w, errSerialization)
		return
	}
	caller, aerr := s.resolve(r)
	if aerr != nil {
		writeJSONError(w, jsonAuthError(aerr))
		return
	}
	switch _, denied := faults.deny[op]; {
	case denied:
		s.injected[faultDenied].Add(1)
		writeJSONError(w, errOrgDenied)
		return
	case faults.chance(faults.ThrottleRate):
		s.injected[faultThrottled].Add(1)
		writeJSONError(w, errOrgThrottled)
		return
	case faults.chance(faults.FailRate):
		s.injected[faultFailed].Add(1)
		writeJSONError(w, errOrgFailure)
		return
	}
	out, jerr := s.listAccounts(caller, body)
	if faults.dropReply(op) {
		s.injected[faultDropped].Add(1)
		loseReply(w)
		return
	}
	if jerr != nil {
		writeJSONError(w, jerr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type listAccountsInput struct {
	MaxResults *int
	NextToken  *string
}

type listAccountsOutput struct {
	Accounts  []jsonAccount `json:"Accounts"`
	NextToken string        `json:"NextToken,omitempty"` // absent on the last page
}

type jsonAccount struct {
	ID              string       `json:"Id"`
	ARN             string       `json:"Arn"`
	Email           string       `json:"Email"`
	Name            string       `json:"Name"`
	Status          string       `json:"Status"`
	State           string       `json:"State"`
	JoinedMethod    string       `json:"JoinedMethod"`
	JoinedTimestamp epochSeconds `json:"JoinedTimestamp"`
}

// epochSeconds is the JSON protocols' default timestamp: seconds since the
// epoch as a number, with a fraction.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

// listAccounts answers ListAccounts: only the management account may call it.
func (s *Server) listAccounts(caller principal, body []byte) (*listAccountsOutput, *jsonError) {
	var in listAccountsInput
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, errSerialization
		}
	}
	switch {
	case in.MaxResults != nil && *in.MaxResults < 1:
		return nil, &jsonError{http.StatusBadRequest, "InvalidInputException",
			"You provided a value that is less than the minimum allowed value.", "MIN_VALUE_EXCEEDED"}
	case in.MaxResults != nil && *in.MaxResults > orgPageSize:
		return nil, &jsonError{http.StatusBadRequest, "InvalidInputException",
			"You provided a value that exceeds the maximum allowed value.", "MAX_VALUE_EXCEEDED"}
	case s.org == nil:
		return nil, errOrgNotInUse
	case caller.acct != s.home:
		// Members get AccessDenied; delegated administrators are not modelled.
		return nil, errOrgDenied
	}
	start := 0
	if in.NextToken != nil {
		i, ok := s.org.parseToken(*in.NextToken)
		if !ok {
			return nil, errOrgBadToken
		}
		start = i
	}
	size := orgPageSize
	if in.MaxResults != nil {
		size = *in.MaxResults
	}
	end := min(start+size, len(s.org.accounts))
	out := &listAccountsOutput{Accounts: make([]jsonAccount, 0, end-start)}
	for _, a := range s.org.accounts[start:end] {
		out.Accounts = append(out.Accounts, jsonAccount{
			ID: a.id, ARN: s.org.accountARN(a), Email: a.email, Name: a.name,
			Status: a.status, State: a.status, JoinedMethod: a.joinedMethod,
			JoinedTimestamp: epochSeconds(a.joined),
		})
	}
	if end < len(s.org.accounts) {
		out.NextToken = s.org.token(s.org.accounts[end-1])
	}
	return out, nil
}

// token is the NextToken after a: opaque to clients, it names the last account
// returned, so that a page never repeats or skips one.
func (o *organization) token(a *account) string {
	return base64.RawURLEncoding.EncodeToString([]byte("accounts after " + a.id))
}

// parseToken returns the index of the first account after the token's.
func (o *organization) parseToken(tok string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	id, ok := strings.CutPrefix(string(raw), "accounts after ")
	if !ok {
		return 0, false
	}
	i := slices.IndexFunc(o.accounts, func(a *account) bool { return a.id == id })
	return i + 1, i >= 0
}

func writeJSONError(w http.ResponseWriter, e *jsonError) {
	body := map[string]string{"__type": e.code}
	if e.message != "" {
		body["Message"] = e.message
	}
	if e.reason != "" {
		body["Reason"] = e.reason
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(errors.Join(errors.New("localiam: encoding a response"), err)) // only our own types get here
	}
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
