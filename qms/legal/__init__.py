"""The register of legal changes and the legal updates they make due (issue: the 3-month rule measured).

A legal change (a decree, a circular, a provincial decision) is registered nationally (the ministry, the
administrator) or for a province (its Sở KH&CN). What it affects is data: fields of administrative procedures,
national procedure codes, kinds of agency, or a list of agencies. The worker works out which agencies it applies to
(`services.legal_change_targets`) and makes one due legal update for each, due 3 months after the effective date.
The agency records its update (the documents it changed) or declares the change not applicable, which the Sở
accepts or rejects. `selectors.LEGAL_VERDICT` measures each due update as of a date: on time, late, overdue,
pending or not applicable; the compliance rule, the dashboard and the reports count those verdicts.
"""
