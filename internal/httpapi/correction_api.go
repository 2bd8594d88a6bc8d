package httpapi

import (
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/correction"
)

// correctionRoutes is the checking and correction of shared data (校核纠错,
// Art. 26; issue #7 point 1): correction requests and their single answer,
// the consumer's usage status of each grant, and each department's
// correction rules and channel. The rules are in internal/correction.
func (api *API) correctionRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/corrections", false, "List the correction requests the caller may see (Art. 26)", api.listCorrections},
		{"POST", "/api/v1/corrections", false, "File a correction request with the provider of a grant (Art. 26)", api.fileCorrection},
		{"GET", "/api/v1/corrections/{id}", false, "One correction request with its deadline and answer", api.getCorrection},
		{"POST", "/api/v1/corrections/{id}/answer", false, "Answer a correction request: corrected or not, once (Art. 26)", api.answerCorrection},
		{"GET", "/api/v1/grants/{id}/usage-status", false, "The usage status of a grant's data and its history (Art. 26)", api.getUsageStatus},
		{"POST", "/api/v1/grants/{id}/usage-status", false, "Record the usage status of a grant's data (Art. 26)", api.setUsageStatus},
		{"GET", "/api/v1/correction-rules", false, "Every department's current correction rules and channel", api.listCorrectionRules},
		{"GET", "/api/v1/departments/{id}/correction-rules", false, "A department's correction rules and channel, every version", api.getCorrectionRules},
		{"POST", "/api/v1/departments/{id}/correction-rules", false, "State a new version of the department's correction rules and channel", api.setCorrectionRules},
	}
}

func (api *API) listCorrections(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rs, err := api.app.Corrections.List(r.Context(), a, correction.Filter{Role: q.Get("role"), State: correction.State(q.Get("state")),
		GrantID: q.Get("grant_id"), After: p.After, Limit: p.Limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rs, nextCursor(rs, p.Limit, func(x correction.Request) string { return x.ID })))
	return nil
}

func (api *API) fileCorrection(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in correction.NewRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := api.app.Corrections.File(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (api *API) getCorrection(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	c, err := api.app.Corrections.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (api *API) answerCorrection(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in correction.AnswerInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := api.app.Corrections.Answer(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (api *API) getUsageStatus(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	h, err := api.app.Corrections.Statuses(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (api *API) setUsageStatus(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in correction.StatusInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := api.app.Corrections.SetStatus(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s)
	return nil
}

func (api *API) listCorrectionRules(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	rs, err := api.app.Corrections.AllRules(r.Context(), a, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rs, nextCursor(rs, p.Limit, func(x correction.Rules) string { return x.DepartmentID })))
	return nil
}

func (api *API) getCorrectionRules(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	rs, err := api.app.Corrections.RulesOf(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rs, ""))
	return nil
}

func (api *API) setCorrectionRules(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in correction.RulesInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rs, err := api.app.Corrections.SetRules(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rs)
	return nil
}
