"""The decision part of the report: "if we start on D", which target, and the in-page what-if.

`ahead` runs the forward replay and `compare` for each scenario and words the recommendation (plain
data, the JSON twin); `html` renders it first on the page; `what_if.js` recomputes it in the browser.
"""
