from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shegong.core.http import client_address

from . import twofactor
from .forms import LoginForm, TokenForm
from .models import Notification
from .services import (
    notification_mark_read,
    two_factor_check,
    two_factor_disable,
    two_factor_enable,
)


@login_required
def notification_list(request: HttpRequest) -> HttpResponseBase:
    notifications = Notification.objects.filter(recipient=request.user)
    unread = request.GET.get("unread") == "1"
    if unread:  # the console home's 未读通知 links here, counted the same way
        notifications = notifications.filter(read_at=None)
    context = {
        "notifications": notifications[:100],
        "unread": unread,
        "total": notifications.count(),
    }
    return render(request, "accounts/notifications.html", context)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(notification.url or "accounts:notifications")


class LoginView(auth_views.LoginView):
    """Django's login view with our form; a locked-out attempt answers 429 Too Many Requests."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_until is not None:
            response.status_code = 429
        return response


@login_required
def two_factor(request: HttpRequest) -> HttpResponseBase:
    """Set up the authenticator app, or (once set up) remove it with a current code."""
    device = twofactor.confirmed_device(request.user)
    required = twofactor.second_factor_required(request.user)
    form = TokenForm(request.POST or None)
    if device is None:
        pending = twofactor.pending_device(request.user)
        if request.method == "POST" and form.is_valid():
            result = two_factor_enable(
                user=request.user, device=pending, token=form.cleaned_data["token"]
            )
            if result == "ok":
                request.session.pop(twofactor.PENDING, None)
                request.session.cycle_key()
                messages.success(request, "两步验证已启用：今后登录时需输入验证器应用中的验证码。")
                return redirect("accounts:two_factor")
            form.refuse(result)
        context = {
            "form": form,
            "required": required,
            "qr_svg": twofactor.qr_svg(pending),
            "secret": twofactor.secret_text(pending),
        }
        return render(request, "accounts/two_factor_setup.html", context)
    if request.method == "POST" and form.is_valid():
        if required:
            form.add_error(None, "市局管理员账号必须启用两步验证，不能关闭。")
        else:
            result = two_factor_disable(
                user=request.user, device=device, token=form.cleaned_data["token"]
            )
            if result == "ok":
                messages.success(request, "两步验证已关闭。")
                return redirect("accounts:two_factor")
            form.refuse(result)
    return render(
        request,
        "accounts/two_factor_status.html",
        {"form": form, "device": device, "required": required},
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponseBase:
    """The second step of signing in: a code from the authenticator app."""
    device = twofactor.confirmed_device(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if device is None:
        # Nothing to check against: an account that must have a second factor sets one up.
        if request.session.get(twofactor.PENDING):
            return redirect("accounts:two_factor")
        return render(request, "accounts/two_factor_verify.html", {"device": None})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor_check(
            user=request.user,
            device=device,
            token=form.cleaned_data["token"],
            address=client_address(request),
        )
        if result == "ok":
            request.session.pop(twofactor.PENDING, None)
            request.session.cycle_key()
            return redirect(next_url or "reports:home")
        form.refuse(result)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "device": device, "next": next_url},
    )
