package localiam

import (
	"fmt"
	"net/http"
)

// apiError is an error answered to the client as an IAM ErrorResponse.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// faultType is the ErrorResponse <Type>: Receiver for server faults, else Sender.
func (e *apiError) faultType() string {
	if e.Status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func validationError(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationError", msg}
}

func invalidInput(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidInput", fmt.Sprintf(format, args...)}
}

func noSuchUser(name string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The user with name %s cannot be found.", name)}
}

// noSuchService is what AWS answers for an unsupported ServiceName: NoSuchEntity,
// not the modelled NotSupportedService (contract §3.5, §3.6).
func noSuchService(name string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("No such service %s is supported for Service Specific Credentials", name)}
}

func noSuchCredential(id string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("No such credential %s exists", id)}
}

func userExists(name string) *apiError {
	return &apiError{http.StatusConflict, "EntityAlreadyExists", fmt.Sprintf("User with name %s already exists.", name)}
}

// deleteConflict names what must go first (user.remaining).
func deleteConflict(what string) *apiError {
	return &apiError{http.StatusConflict, "DeleteConflict", "Cannot delete entity, " + what}
}

// limitExceeded's wording follows IAM's access-key quota message (contract §3.6: UNCERTAIN).
func limitExceeded() *apiError {
	return &apiError{http.StatusConflict, "LimitExceeded",
		fmt.Sprintf("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: %d", maxCredsPerService)}
}

// errNoCaller is IAM's answer when a call that defaults to "the caller" comes from
// something that is not an IAM user (contract §3.2, §3.5).
var errNoCaller = validationError("Must specify userName when calling with non-User credentials")

var (
	errThrottled      = &apiError{http.StatusBadRequest, "Throttling", "Rate exceeded"}
	errServiceFailure = &apiError{http.StatusInternalServerError, "ServiceFailure",
		"The request processing has failed because of an unknown error, exception or failure."}
	errMissingAction = &apiError{http.StatusBadRequest, "MissingAction", "Missing Action"}
	errNotQuery      = &apiError{http.StatusBadRequest, "InvalidRequest",
		"This endpoint accepts only POST requests with an application/x-www-form-urlencoded body (the IAM Query protocol)."}
	errMalformedBody = &apiError{http.StatusBadRequest, "MalformedQueryString",
		"The request body is not a valid form-encoded query string."}
	errBodyTooLarge = &apiError{http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		fmt.Sprintf("The request body exceeds %d bytes.", maxBodyBytes)}
	errBadMarker = validationError("Invalid Marker: pass the Marker value of the previous response unchanged.")
)

func invalidAction(action, version string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidAction",
		fmt.Sprintf("Could not find operation %s for version %s", action, version)}
}

func accessDenied(caller, action, resource string) *apiError {
	return &apiError{http.StatusForbidden, "AccessDenied",
		fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", caller, action, resource)}
}
