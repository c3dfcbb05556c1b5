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
