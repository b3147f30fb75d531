"""How the API reads JSON bodies: an object, nothing else.

django-ninja's schemas validate from attributes as well as from keys, so a body that
is a JSON array, string or number was read as an object that has none of the fields:
an endpoint whose fields are all optional accepted `[]` as `{}` (issue 11). Every
body of this API is an object; anything else is refused as a bad request (400, the
standard error shape), before any schema sees it.
"""

import json

from ninja.parser import Parser


class NotAnObject(ValueError):
    pass


class ObjectBodyParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NotAnObject("the body must be a JSON object")
        return data
