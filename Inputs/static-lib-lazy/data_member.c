/* Pulled in only because main.obj reads lib_data_value. */
int lib_data_value = 1234;
