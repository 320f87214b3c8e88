// Suggest known persons and places while typing in a search box (the page works without it).
(function () {
  var boxes = document.querySelectorAll('input[type="search"][name="q"]');
  boxes.forEach(function (box, index) {
    var list = document.createElement("datalist");
    list.id = "known-names-" + index;
    box.setAttribute("list", list.id);
    box.setAttribute("autocomplete", "off");
    box.after(list);
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var text = box.value.trim();
      if (!text) { list.replaceChildren(); return; }
      timer = setTimeout(function () {
        fetch("/api/suggest?q=" + encodeURIComponent(text))
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.suggestions.map(function (item) {
              var option = document.createElement("option");
              option.value = item.name;
              return option;
            }));
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
