"""Single sign-on with OpenID Connect (mozilla-django-oidc): the backend, who may log in
and into which municipality, the login's refusals and the logout at the provider."""
