# manual pages
dist_man_MANS += man/autokaggle.1
