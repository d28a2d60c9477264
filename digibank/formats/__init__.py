"""Number and date formats as they are written in Belgium, for Django's localisation
(FORMAT_MODULE_PATH). What is not set here comes from Django's own formats for the language."""
