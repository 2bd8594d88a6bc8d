package httpapi

// applicationRoutes is the applications' part of the URL space: Art. 20–22,
// from the consumer's draft to the provider's reply. Handlers are in
// application_handlers.go.
func (api *API) applicationRoutes() []Route {
	const base = "/api/v1/applications"
	return []Route{
		{"GET", base, false, "List the applications the caller may see", api.listApplications},
		{"POST", base, false, "Draft an application for a published catalog entry (Art. 20)", api.createApplication},
		{"GET", base + "/{id}", false, "One application, with its history and step durations", api.getApplication},
		{"PUT", base + "/{id}", false, "Edit a draft application", api.updateApplication},
		{"POST", base + "/{id}/submit", false, "Ask the consumer's office head to approve a draft", api.submitApplication},
		{"POST", base + "/{id}/approve", false, "The consumer's office head approves and sends (Art. 20)", api.approveApplication},
		{"POST", base + "/{id}/supplement-request", false, "Send the one supplement request listing everything missing (Art. 21)", api.requestSupplement},
		{"POST", base + "/{id}/resubmit", false, "Answer the supplement request; the reply period restarts (Art. 21)", api.resubmitApplication},
		{"POST", base + "/{id}/extension", false, "Ask the same-level authority to extend the reply period (Art. 21)", api.requestExtension},
		{"POST", base + "/{id}/extension/decision", false, "The authority grants or refuses the extension (Art. 21)", api.decideExtension},
		{"POST", base + "/{id}/reply", false, "The provider's office head replies: approve or refuse with reasons (Art. 20–22)", api.replyApplication},
		{"POST", base + "/{id}/withdraw", false, "Withdraw an application before the reply", api.withdrawApplication},
	}
}
