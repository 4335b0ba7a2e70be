(function () { var form = document.getElementById("saml-post"); if (form) { form.submit(); } })();
