// Small improvements on top of pages that work without JavaScript.
(function () {
    // On a phone filters and overviews start folded, so that the results come first into view.
    var narrow = window.matchMedia("(max-width: 56rem)");
    document.querySelectorAll("details[data-fold-on-narrow]").forEach(function (details) {
        if (narrow.matches) {
            details.open = false;
        }
    });
})();

// As-you-type suggestions of page titles for the search boxes that name their endpoint
// (data-suggest). The box stays a plain form: without JavaScript it searches as before.
(function () {
    document.querySelectorAll("input[data-suggest]").forEach(function (input, number) {
        var list = document.createElement("datalist");
        var addresses = {};
        var timer = null;
        var pending = null;
        list.id = "search-suggestions-" + number;
        input.insertAdjacentElement("afterend", list);
        input.setAttribute("list", list.id);

        input.addEventListener("input", function (event) {
            // A suggestion picked from the list opens its page.
            var picked = event.inputType === undefined || event.inputType === "insertReplacementText";
            if (picked && addresses[input.value]) {
                window.location.href = addresses[input.value];
                return;
            }
            window.clearTimeout(timer);
            var query = input.value.trim();
            if (query.length < 2) {
                list.replaceChildren();
                return;
            }
            timer = window.setTimeout(function () {
                if (pending) {
                    pending.abort();
                }
                pending = new AbortController();
                var params = new URLSearchParams({ q: query });
                if (input.dataset.suggestType) {
                    params.set("type", input.dataset.suggestType);
                }
                fetch(input.dataset.suggest + "?" + params.toString(), { signal: pending.signal })
                    .then(function (response) {
                        return response.ok ? response.json() : { suggestions: [] };
                    })
                    .then(function (data) {
                        addresses = {};
                        list.replaceChildren.apply(list, data.suggestions.map(function (suggestion) {
                            var option = document.createElement("option");
                            option.value = suggestion.title;
                            option.label = suggestion.type;
                            addresses[suggestion.title] = suggestion.url;
                            return option;
                        }));
                    })
                    .catch(function () {
                        // Offline or aborted: the box still searches when submitted.
                    });
            }, 200);
        });
    });
})();
