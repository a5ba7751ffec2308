"""Password rules: Django's, worded in Chinese where its catalog has no translation."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 reworded this rule's message and its Chinese catalog lacks the new wording:
    the console's password page said "This password is too short…" in English."""

    def get_error_message(self) -> str:
        return f"密码太短：至少需要 {self.min_length} 个字符。"
