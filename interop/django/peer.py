"""Django REST framework SimpleJWT side of the zerojwt interop tests.

Runs a real Django (no project: settings.configure, an in-memory SQLite
database) with SimpleJWT's views and JWTAuthentication, driven by the Go tests.

Protocol: one JSON object on stdin; one JSON object on stdout. The process
exits 0 whenever the protocol worked, even if single ops failed; it exits 1
with the reason on stderr otherwise.

  {"now": seconds,            clock of SimpleJWT and PyJWT, fixed
   "settings": {...},         the SIMPLE_JWT settings (below)
   "users": [{"username", "password", "active"?}],
   "ops": [op, ...]}
  -> {"users": {username: id, ...}, "results": [result, ...]}

settings: SIMPLE_JWT names in lower case, each optional: algorithm,
signing_key_b64 (the secret, standard base64, given to SimpleJWT as bytes),
audience, issuer, user_id_field, user_id_claim, token_type_claim, jti_claim,
leeway (seconds).

Ops:
  {"op": "obtain", "username", "password"}
      POST to TokenObtainPairView.
      -> {"ok": true, "status", "access", "refresh"} | {"ok": false, "status", "body"}
  {"op": "authenticate", "token"}
      GET of a view with authentication_classes = [JWTAuthentication] and
      permission_classes = [IsAuthenticated], with "Authorization: Bearer token".
      -> {"ok": true, "status", "username", "user_id", "token_type"}
       | {"ok": false, "status", "body"}   (body: the JSON answer, with
         "code" and, for refused tokens, "messages")
"""

import base64
import datetime as _dt
import json
import sys

import django
from django.conf import settings


def configure(now, opts):
    simple_jwt = {
        "ALGORITHM": opts.get("algorithm", "HS256"),
        "SIGNING_KEY": base64.b64decode(opts["signing_key_b64"]),
        "AUDIENCE": opts.get("audience"),
        "ISSUER": opts.get("issuer"),
    }
    for name in ("user_id_field", "user_id_claim", "token_type_claim", "jti_claim", "leeway"):
        if name in opts:
            simple_jwt[name.upper()] = opts[name]
    settings.configure(
        DEBUG=False,
        SECRET_KEY="interop-only-not-the-signing-key",
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "rest_framework",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        USE_TZ=True,
        SIMPLE_JWT=simple_jwt,
    )
    django.setup()
    fix_clock(now)


def fix_clock(now):
    """Makes SimpleJWT (issuing, exp check) and PyJWT (exp, nbf, iat) read now."""
    import jwt.api_jwt
    import rest_framework_simplejwt.tokens as tokens

    fixed = _dt.datetime.fromtimestamp(now, tz=_dt.timezone.utc)

    class FixedDatetime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return fixed if tz is not None else fixed.replace(tzinfo=None)

        @classmethod
        def utcnow(cls):
            return fixed.replace(tzinfo=None)

    jwt.api_jwt.datetime = FixedDatetime
    tokens.aware_utcnow = lambda: fixed


urlpatterns = []


def create_users(users):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    ids = {}
    for u in users:
        user = get_user_model().objects.create_user(
            username=u["username"], password=u["password"], is_active=u.get("active", True)
        )
        ids[u["username"]] = user.pk
    return ids


def answer(response):
    response.render()
    return response.status_code, json.loads(response.content or b"null")


def obtain(op):
    from rest_framework.test import APIRequestFactory
    from rest_framework_simplejwt.views import TokenObtainPairView

    request = APIRequestFactory().post(
        "/token/", {"username": op["username"], "password": op["password"]}, format="json"
    )
    status, body = answer(TokenObtainPairView.as_view()(request))
    if status != 200:
        return {"ok": False, "status": status, "body": body}
    return {"ok": True, "status": status, "access": body["access"], "refresh": body["refresh"]}


def me_view():
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.settings import api_settings

    class Me(APIView):
        authentication_classes = [JWTAuthentication]
        permission_classes = [IsAuthenticated]

        def get(self, request):
            return Response(
                {
                    "username": request.user.get_username(),
                    "user_id": request.user.pk,
                    "token_type": request.auth[api_settings.TOKEN_TYPE_CLAIM],
                }
            )

    return Me.as_view()


def authenticate(op, view):
    from rest_framework.test import APIRequestFactory

    request = APIRequestFactory().get("/me/", HTTP_AUTHORIZATION="Bearer " + op["token"])
    status, body = answer(view(request))
    if status != 200:
        return {"ok": False, "status": status, "body": body}
    return {"ok": True, "status": status, **body}


def main():
    req = json.load(sys.stdin)
    configure(req["now"], req["settings"])
    ids = create_users(req.get("users", []))
    view = me_view()
    results = []
    for op in req["ops"]:
        if op["op"] == "obtain":
            results.append(obtain(op))
        elif op["op"] == "authenticate":
            results.append(authenticate(op, view))
        else:
            raise ValueError("unknown op " + repr(op["op"]))
    json.dump({"users": ids, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
