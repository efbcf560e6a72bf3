"""Django's password validators (AUTH_PASSWORD_VALIDATORS), saying *passphrase* — the word
the product uses everywhere else — in plain words, with their Welsh in the catalogue.
Each keeps its parent's check and error code and changes only what a person reads."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("This passphrase is too short. Use at least %(min_length)s characters.") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return _(
            "Use at least %(min_length)s characters: three or four words are easy to remember."
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This passphrase is too like your %(verbose_name)s.")

    def get_help_text(self):
        return _("Do not use your name or username in it.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("Many people use this passphrase. Choose one that is harder to guess.")

    def get_help_text(self):
        return _("Do not use a passphrase that many people use.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This passphrase is only numbers. Add some words.")

    def get_help_text(self):
        return _("Do not use only numbers.")
