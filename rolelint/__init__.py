"""rolelint: find dangerous AWS IAM roles in infrastructure-as-code before they are deployed."""

__version__ = "0.1.0"
