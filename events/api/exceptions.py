def exception_handler(exc, context):
    from rest_framework.views import exception_handler as drf

    return drf(exc, context)


def not_found(request, exception=None):
    from django.http import JsonResponse

    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    from django.http import JsonResponse

    return JsonResponse({"detail": "Server error."}, status=500)
