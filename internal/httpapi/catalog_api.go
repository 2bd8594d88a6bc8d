package httpapi

// catalogRoutes is the catalog's part of the URL space (Art. 12–19).
func (api *API) catalogRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/catalog/entries", false, "Search the published catalog", api.searchCatalog},
		{"POST", "/api/v1/catalog/entries", false, "Start a catalog entry for one's own department", api.createEntry},
		{"GET", "/api/v1/catalog/entries/{id}", false, "One catalog entry", api.getEntry},
		{"PUT", "/api/v1/catalog/entries/{id}", false, "Save the working draft of a catalog entry", api.updateEntry},
		{"PUT", "/api/v1/catalog/entries/{id}/assessments", false, "Record the secrecy and personal-information assessments (Art. 13)", api.recordAssessments},
		{"POST", "/api/v1/catalog/entries/{id}/submit", false, "Office head's approval: submit to the same-level authority (Art. 13, 16)", api.submitEntry},
		{"POST", "/api/v1/catalog/entries/{id}/publish", false, "Authority publishes the submitted version (Art. 16)", api.publishEntry},
		{"POST", "/api/v1/catalog/entries/{id}/return", false, "Authority returns the submitted version with reasons", api.returnEntry},
		{"GET", "/api/v1/catalog/entries/{id}/versions", false, "Versions of a catalog entry", api.listVersions},
		{"GET", "/api/v1/catalog/entries/{id}/versions/{n}", false, "One version of a catalog entry", api.getVersion},
		{"GET", "/api/v1/catalog/entries/{id}/changes", false, "Update obligations of a catalog entry (Art. 17)", api.listObligations},
		{"POST", "/api/v1/catalog/entries/{id}/changes", false, "Record a legal or duty change: opens an update obligation (Art. 17)", api.recordChange},
		{"GET", "/api/v1/catalog/obligations/{id}", false, "One update obligation, with its entry (Art. 17)", api.getObligation},
		{"POST", "/api/v1/catalog/obligations/{id}/extension", false, "Ask the authority for 5 more working days (Art. 17)", api.requestUpdateExtension},
		{"POST", "/api/v1/catalog/obligations/{id}/extension/decision", false, "Authority grants or refuses an extension (Art. 17)", api.decideUpdateExtension},
		{"GET", "/api/v1/catalog/source-designations", false, "List source departments (Art. 19)", api.listDesignations},
		{"POST", "/api/v1/catalog/source-designations", false, "Designate a source department (Art. 19)", api.designate},
	}
}
