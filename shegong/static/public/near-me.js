// "Near me": ask the phone for its position only when the button is tapped, then let the
// server sort the stations by distance. Without JavaScript or a position, the district list works.
(function () {
  "use strict";
  var button = document.querySelector("[data-near-me]");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.querySelector("[data-near-me-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var lat = pos.coords.latitude.toFixed(5), lng = pos.coords.longitude.toFixed(5);
        window.location.href = "/stations/?lat=" + lat + "&lng=" + lng;
      },
      function () {
        button.disabled = false;
        if (status) status.textContent = button.dataset.error;
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
