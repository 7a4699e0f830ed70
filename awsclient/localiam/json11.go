package localiam

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Secrets Manager and Parameter Store speak the JSON 1.1 protocol on the same
// address as IAM: POST /, X-Amz-Target "secretsmanager.<Op>" or
// "AmazonSSM.<Op>", Content-Type application/x-amz-json-1.1, a JSON body, and
// errors as {"__type": code, "Message"|"message": text} with status 400 (500
// for an injected failure). They act in the signer's account (principal.go)
// and in the region of the SigV4 credential scope, as AWS keeps secrets and
// parameters per account and region.

// storeService is one of the JSON 1.1 services that keep values per account.
type storeService struct {
	name         string // IAM's service prefix: "secretsmanager", "ssm"
	targetPrefix string // X-Amz-Target before the operation's name
	messageKey   string // the error body's message member ("Message" or "message")
	throttled    *storeError
	failed       *storeError
	ops          map[string]storeOp
}

// storeOp runs one operation for the caller, in the caller's region store.
type storeOp func(c *storeCall, body []byte) (any, *storeError)

// storeCall is what an operation knows of its request.
type storeCall struct {
	srv    *Server
	caller principal
	region string
	action string // "secretsmanager:PutSecretValue"
	st     *regionStore
}

// storeError is an error answered in the JSON protocol.
type storeError struct {
	status  int
	code    string
	message string
}

func (e *storeError) Error() string { return e.code + ": " + e.message }

func clientError(code, format string, args ...any) *storeError {
	return &storeError{http.StatusBadRequest, code, fmt.Sprintf(format, args...)}
}

// storeServices are the services, by X-Amz-Target prefix; filled in by
// secretsmanager.go and ssm.go.
var storeServices = map[string]*storeService{}

// storeActions maps every operation of the store services to its service
// prefix, for --deny and the drop lists (faults.go).
var storeActions = map[string]string{}

func registerStore(svc *storeService) {
	storeServices[svc.targetPrefix] = svc
	for op := range svc.ops {
		storeActions[op] = svc.name
	}
}

// storeFor returns the store service a target names, if any.
func storeFor(target string) (*storeService, string) {
	prefix, op, ok := strings.Cut(target, ".")
	if !ok {
		return nil, ""
	}
	return storeServices[prefix], op
}

// credentialScope returns the region and service of a SigV4 Authorization
// header ("Credential=AKID/DATE/REGION/SERVICE/aws4_request"), or "" for each.
func credentialScope(r *http.Request) (region, service string) {
	_, rest, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	if !ok {
		return "", ""
	}
	scope, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(strings.TrimSpace(scope), "/")
	if len(parts) != 5 {
		return "", ""
	}
	return parts[2], parts[3]
}

// defaultRegion is the region of an unsigned request.
const defaultRegion = "us-east-1"

// serveStore answers one Secrets Manager or Parameter Store request. Faults
// come first, as for IAM: a denied, throttled or failed call changes nothing.
func (s *Server) serveStore(w http.ResponseWriter, r *http.Request, svc *storeService, op string, faults *faultSet) {
	run, known := svc.ops[op]
	if !known {
		s.writeStoreError(w, svc, &storeError{http.StatusBadRequest, "UnknownOperationException", ""})
		return
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost || err != nil || !strings.HasPrefix(mediaType, "application/x-amz-json-") {
		s.writeStoreError(w, svc, storeSerialization)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		s.writeStoreError(w, svc, storeSerialization)
		return
	}
	caller, aerr := s.resolve(r)
	if aerr != nil {
		e := jsonAuthError(aerr)
		s.writeStoreError(w, svc, &storeError{e.status, e.code, e.message})
		return
	}
	faults = s.faultsFor(caller, faults)
	region, _ := credentialScope(r)
	if region == "" {
		region = defaultRegion
	}
	call := &storeCall{srv: s, caller: caller, region: region, action: svc.name + ":" + op}
	switch _, denied := faults.deny[op]; {
	case denied:
		s.injected[faultDenied].Add(1)
		s.writeStoreError(w, svc, call.identityDenied(call.deniedResource(body)))
		return
	case faults.chance(faults.ThrottleRate):
		s.injected[faultThrottled].Add(1)
		s.writeStoreError(w, svc, svc.throttled)
		return
	case faults.chance(faults.FailRate):
		s.injected[faultFailed].Add(1)
		s.writeStoreError(w, svc, svc.failed)
		return
	}
	if faults.dropRequest(op) {
		s.injected[faultDropped].Add(1)
		loseReply(w)
		return
	}
	call.st = caller.acct.regionStore(region)
	call.st.mu.Lock()
	out, serr := run(call, body)
	call.st.mu.Unlock()
	if faults.dropReply(op) {
		s.injected[faultDropped].Add(1)
		loseReply(w)
		return
	}
	if serr != nil {
		s.writeStoreError(w, svc, serr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

var storeSerialization = &storeError{http.StatusBadRequest, "SerializationException",
	"The request body is not a JSON object of the operation's input."}

func (s *Server) writeStoreError(w http.ResponseWriter, svc *storeService, e *storeError) {
	body := map[string]string{"__type": e.code}
	if e.message != "" {
		body[svc.messageKey] = e.message
	}
	writeJSON(w, e.status, body)
}

// decode reads a request body into in; an empty body is an empty object.
// Unknown members are ignored, as AWS does.
func decode(body []byte, in any) *storeError {
	if strings.TrimSpace(string(body)) == "" {
		return nil
	}
	if err := json.Unmarshal(body, in); err != nil {
		return storeSerialization
	}
	return nil
}

// identityDenied is AccessDeniedException as an identity policy without the
// action gives it (--deny).
func (c *storeCall) identityDenied(resource string) *storeError {
	return clientError("AccessDeniedException",
		"User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
		c.caller.arn(), c.action, resource, c.action)
}

// resourceDenied is AccessDeniedException for a resource of another account:
// resource policies are not modelled, so none allows the call.
func (c *storeCall) resourceDenied(resource string) *storeError {
	return clientError("AccessDeniedException",
		"User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
		c.caller.arn(), c.action, resource, c.action)
}

// deniedResource names the resource of a denied call: the ARN it names, or the
// name as given (the request is not otherwise read).
func (c *storeCall) deniedResource(body []byte) string {
	var in struct{ SecretId, Name string }
	_ = json.Unmarshal(body, &in)
	switch {
	case in.SecretId != "":
		return in.SecretId
	case strings.HasPrefix(in.Name, "arn:"):
		return in.Name
	case in.Name != "" && strings.HasPrefix(c.action, "ssm:"):
		return parameterARN(c.region, c.caller.acct.id, in.Name)
	case in.Name != "":
		return in.Name
	}
	return "*"
}

// validation is ValidationException in the wording of AWS's model checks.
// The value is named only when it is not sensitive.
func validation(format string, args ...any) *storeError {
	return clientError("ValidationException", "1 validation error detected: "+format, args...)
}

func lengthCheck(member, value string, sensitive bool, min, max int) *storeError {
	n := len([]rune(value))
	shown := fmt.Sprintf("Value '%s' at '%s'", value, member)
	if sensitive {
		shown = fmt.Sprintf("Value at '%s'", member)
	}
	switch {
	case n < min:
		return validation("%s failed to satisfy constraint: Member must have length greater than or equal to %d", shown, min)
	case n > max:
		return validation("%s failed to satisfy constraint: Member must have length less than or equal to %d", shown, max)
	}
	return nil
}

func required(member string) *storeError {
	return validation("Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}
