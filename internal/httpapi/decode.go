package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

func malformed(field, code, title, detail string) error {
	return &problem.Error{Kind: problem.Malformed, Code: code, Title: title, Detail: detail, Field: field}
}

// readBody reads a JSON request body within the size limit.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return nil, &problem.Error{Kind: problem.Unsupported, Code: "request.media_type", Title: "请求体必须是 JSON",
			Detail: "send the body as Content-Type: application/json"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, &problem.Error{Kind: problem.TooLarge, Code: "request.too_large", Title: "请求体过大",
			Detail: fmt.Sprintf("the body may have at most %d bytes", MaxBodyBytes)}
	}
	if err != nil {
		return nil, malformed("", "request.unreadable", "请求体读取失败", "the body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, malformed("", "request.body_required", "请求体不能为空", "a JSON body is required")
	}
	return body, nil
}

// decode reads the body strictly into v: unknown fields, wrong types,
// trailing data and malformed JSON are refused, naming the field.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return malformed("", "request.malformed_json", "JSON 格式错误", "unexpected data after the JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("", "request.malformed_json", "JSON 格式错误", "unexpected data after the JSON value")
	}
	return nil
}

func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return malformed("", "request.malformed_json", "JSON 格式错误", fmt.Sprintf("malformed JSON at byte %d", syntax.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return malformed(field, "request.wrong_type", "字段类型错误", fmt.Sprintf("%s must be %s, not %s", field, jsonType(typ.Type.Kind().String()), typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return malformed("", "request.malformed_json", "JSON 格式错误", "the JSON body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return malformed(name, "request.unknown_field", "包含未知字段", fmt.Sprintf("unknown field %q", name))
	}
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe
	}
	return malformed("", "request.malformed_json", "JSON 格式错误", err.Error())
}

func jsonType(kind string) string {
	switch kind {
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return kind
}

// Query parameters.

func queryInt(r *http.Request, name string, def, min, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, malformed(name, "request.bad_parameter", "参数无效", fmt.Sprintf("%s must be a whole number from %d to %d", name, min, max))
	}
	return n, nil
}

func queryDate(r *http.Request, name string) (calendar.Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return calendar.Date{}, malformed(name, "request.parameter_required", "缺少参数", name+" is required (YYYY-MM-DD)")
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, malformed(name, "request.bad_date", "日期格式错误", name+" must be a date YYYY-MM-DD")
	}
	return d, nil
}

func queryRequired(r *http.Request, name string) (string, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return "", malformed(name, "request.parameter_required", "缺少参数", name+" is required")
	}
	return s, nil
}
