"""Pages that show a signed-in person's data are kept by no cache: not the browser's (the next
person at a shared computer), not a proxy's. Personal links (tokens) do the same with
``never_cache`` on their views; public pages and pictures keep their own caching."""

from django.utils.cache import patch_cache_control


def private_pages_are_not_stored(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
