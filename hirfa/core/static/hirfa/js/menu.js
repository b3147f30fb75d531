// On a phone the menu is one row that scrolls sideways (hirfa.css): bring the current
// page's entry into that row's view, without scrolling the page itself.
(function () {
  var current = document.querySelector(".menu [aria-current=page]");
  if (!current) return;
  var row = current.closest("ul");
  if (row.scrollWidth <= row.clientWidth) return;
  var item = current.getBoundingClientRect();
  var box = row.getBoundingClientRect();
  row.scrollBy({ left: item.left + item.width / 2 - (box.left + box.width / 2) });
})();
