"""The error answers of the API, documented once for every operation (a drf-spectacular postprocessing hook).

What each operation really answers besides its success, by the rules every view follows:

- 400 when it reads a body or query parameters (a value that is not valid, named; a JSON body nested too deep), and
  on every write (a rule of the service refuses the move, e.g. submitting a plan that is not a draft);
- 401 when it needs authentication (no or a wrong token), 403 (a role too low, or two-factor verification owed);
- 404 when it names an object by id (outside your scope or absent), and on paginated lists for a page past the end;
- 409 when it writes (POST, PUT, PATCH): a stale version or a record saved concurrently by someone else;
- 429 when it is rate limited.

An answer an operation documents itself (e.g. `409` on accepting a finding) keeps its description; a 4xx
documented without a body gets the error body it really has.
"""

from rest_framework.permissions import AllowAny

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
         "description": "What went wrong, in the language asked for (Vietnamese by default)."}
VALIDATION_ERROR = {"type": "object", "additionalProperties": {},
                    "description": 'The fields or parameters that are not valid, each with its messages '
                                   '({"field": ["message"]}); or {"detail": "..."} for a body that cannot be read.'}
DESCRIPTIONS = {
    400: "Invalid input: the fields or parameters named, with why.",
    401: "Authentication credentials were not provided or are not valid.",
    403: "Your role does not allow this, or two-factor verification is required.",
    404: "Not found, or outside what you may see.",
    409: "The record was changed or saved by someone else meanwhile: reload and try again.",
    429: "Too many requests: wait and try again.",
}
WRITES = {"post", "put", "patch"}


def _view_of(generator, path: str, method: str):
    for endpoint_path, _regex, endpoint_method, callback in getattr(generator, "endpoints", None) or []:
        if endpoint_path == path and endpoint_method.lower() == method:
            return getattr(callback, "cls", callback)
    return None


def _is_public(view, operation: dict) -> bool:
    if {} in operation.get("security", []):
        return True
    classes = getattr(view, "permission_classes", None)
    return classes is not None and all(issubclass(permission, AllowAny) for permission in classes)


def _answers(generator, path: str, method: str, operation: dict) -> set[int]:
    view = _view_of(generator, path, method)
    parameters = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
    answers = set()
    if "requestBody" in operation or parameters or method in WRITES | {"delete"}:
        answers.add(400)
    if not _is_public(view, operation):
        answers |= {401, 403}
    if "{" in path or "page" in parameters:
        answers.add(404)
    if method in WRITES:
        answers.add(409)
    if getattr(view, "throttle_classes", None):
        answers.add(429)
    return answers


def _body(code: int) -> dict:
    return {"application/json": {"schema": {"$ref": "#/components/schemas/"
                                                     + ("ValidationError" if code == 400 else "Error")}}}


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(_answers(generator, path, method, operation)):
                responses.setdefault(str(code), {"description": DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4") and not response.get("content"):
                    response["content"] = _body(int(code))
                    if response.get("description", "No response body") == "No response body":
                        response["description"] = DESCRIPTIONS.get(int(code), "")
    return result
